using System.CommandLine;
using System.Text.Json;
using Sim.Replay;
using Sim.Viewer;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim view FILE</c>: opens a replay in the native viewer window. With <c>--png OUT</c> it renders one frame
/// headless instead (<c>--tick</c>, <c>--agent</c>, <c>--size WxH</c>), with the same drawing code.
/// </summary>
public static class ViewCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CommandFactory f)
    {
        var file = new Argument<string>("file") { Description = "Replay file" };
        var png = new Option<string?>("--png") { Description = "Render one frame to this PNG without a display" };
        var tick = new Option<long?>("--tick") { Description = "Tick to show (default: the last)" };
        var agent = new Option<int?>("--agent") { Description = "Agent whose search tree is shown (entity id)" };
        var size = new Option<string>("--size") { Description = "Frame size WxH", DefaultValueFactory = _ => "1280x800" };
        var frames = new Option<int>("--frames") { Description = "Window: close after N frames (0: when closed)" };
        var screenshot = new Option<string?>("--screenshot") { Description = "Window: save the last frame's framebuffer as PNG (needs --frames)" };
        var fps = new Option<int>("--fps") { Description = "Window: frame-rate cap", DefaultValueFactory = _ => 60 };
        var play = new Option<bool>("--play") { Description = "Window: start playing" };
        var backend = new Option<string>("--backend")
        {
            Description = "Window: 'gl' draws with Skia on the window's OpenGL context; 'raster' draws on the CPU and blits (faster on software GL)",
            DefaultValueFactory = _ => "gl",
        };
        backend.AcceptOnlyFromAmong("gl", "raster");
        return f.Make("view", "Open a replay in the viewer window, or render a frame to PNG with --png", ctx =>
        {
            string path = ctx.Get(file)!;
            var (w, h) = ParseSize(ctx.Get(size)!);
            if (ctx.Get(png) is { } outPath)
            {
                using var reader = ReplayReader.Open(path);
                long t = ctx.Get(tick) ?? reader.LastTick;
                if (reader.Chunks.Count > 0 && (t < reader.FirstTick || t > reader.LastTick))
                    throw new UsageException($"--tick {t} is outside the replay's ticks {reader.FirstTick}..{reader.LastTick}");
                reader.Dispose();
                HeadlessRenderer.RenderPng(path, outPath, t, ctx.Get(agent), w, h);
                ctx.Out.WriteLine(ctx.Json ? JsonSerializer.Serialize(new { png = outPath, tick = t, width = w, height = h }) : $"wrote {outPath} ({w}x{h}, tick {t})");
                return ExitCodes.Ok;
            }
            int n = ctx.Get(frames);
            if (n < 0) throw new UsageException("--frames must be >= 0");
            if (ctx.Get(screenshot) is not null && n == 0) throw new UsageException("--screenshot needs --frames N");
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY")))
                throw new UsageException("no display: set DISPLAY (e.g. run under xvfb-run), or render headless with --png OUT");
            using (var reader = ReplayReader.Open(path))
            {
                if (reader.Truncation is not null) ctx.Err.WriteLine($"warning: {reader.Truncation.Message}; showing ticks {reader.FirstTick}..{reader.LastTick}");
                var result = ViewerWindow.Run(reader, new ViewerWindowOptions(w, h, Math.Clamp(ctx.Get(fps), 1, 1000), n, ctx.Get(screenshot), ctx.Get(play), ctx.Get(backend) == "raster"), ctx.Get(agent), ctx.Get(tick));
                double meanFps = result.MeanFrameMs > 0 ? 1000 / result.MeanFrameMs : 0;
                if (ctx.Json) ctx.Out.WriteLine(JsonSerializer.Serialize(new { frames = result.Frames, seconds = result.Seconds, mean_frame_ms = result.MeanFrameMs, uncapped_fps = meanFps, gl_renderer = result.Renderer }));
                else ctx.Out.WriteLine($"{result.Frames} frames in {result.Seconds:F1} s; {result.MeanFrameMs:F2} ms per frame drawn ({meanFps:F0} fps uncapped) on {result.Renderer}");
            }
            return ExitCodes.Ok;
        }, file, png, tick, agent, size, frames, screenshot, fps, play, backend);
    }

    /// <summary>Parses <c>WxH</c>.</summary>
    public static (int W, int H) ParseSize(string s)
    {
        var parts = s.Split('x', 'X');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int w) || !int.TryParse(parts[1], out int h) || w < 200 || h < 150 || w > 8192 || h > 8192)
            throw new UsageException($"--size '{s}' must be WxH with 200 <= W <= 8192 and 150 <= H <= 8192");
        return (w, h);
    }
}
