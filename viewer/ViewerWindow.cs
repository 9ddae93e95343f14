using System.Diagnostics;
using System.Runtime.InteropServices;
using Sim.Replay;
using Sim.Viewer.Glfw;
using SkiaSharp;

namespace Sim.Viewer;

/// <summary>Settings of a <see cref="ViewerWindow"/> run.</summary>
/// <param name="Width">Initial window width.</param>
/// <param name="Height">Initial window height.</param>
/// <param name="MaxFps">Frame-rate cap.</param>
/// <param name="Frames">Stop after this many frames (0: run until closed). For scripted runs and tests.</param>
/// <param name="ScreenshotPath">Read the framebuffer back after the last frame and save it as PNG here.</param>
/// <param name="Play">Start playing.</param>
/// <param name="Raster">Draw with Skia's raster backend and blit the frame, instead of Skia on the GL context.</param>
public sealed record ViewerWindowOptions(int Width = 1280, int Height = 800, int MaxFps = 60, int Frames = 0, string? ScreenshotPath = null, bool Play = false, bool Raster = false);

/// <summary>What a window run measured.</summary>
/// <param name="Frames">Frames drawn.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="MeanFrameMs">Mean time to draw and present a frame, without the frame-rate cap's sleep.</param>
/// <param name="Renderer">The GL renderer string.</param>
public readonly record struct ViewerRunResult(int Frames, double Seconds, double MeanFrameMs, string Renderer);

/// <summary>
/// The viewer's native window: GLFW creates it with an OpenGL context, SkiaSharp draws each frame on that context
/// (<see cref="GRContext.CreateGl(GRGlInterface)"/>), and a raylib-style loop polls input, updates the model, draws,
/// swaps, and sleeps to hold the frame-rate cap.
/// </summary>
public static class ViewerWindow
{
    private const uint GlRgba8 = 0x8058, GlRgba = 0x1908, GlUnsignedByte = 0x1401, GlRenderer = 0x1F01;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void GlReadPixels(int x, int y, int w, int h, uint format, uint type, IntPtr data);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate IntPtr GlGetString(uint name);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void GlFinish();

    /// <summary>Opens <paramref name="reader"/> in a window and runs until it is closed (or the frame limit is reached).</summary>
    public static ViewerRunResult Run(ReplayReader reader, ViewerWindowOptions options, int? agent = null, long? tick = null)
    {
        if (!Glfw.Glfw.IsAvailable())
            throw new DllNotFoundException("libglfw.so.3 not found: install Debian's libglfw3 (apt-get install libglfw3)");
        string? glfwError = null;
        Glfw.Glfw.ErrorCallback onError = (code, desc) => glfwError = $"GLFW error 0x{code:X}: {Marshal.PtrToStringUTF8(desc)}";
        Glfw.Glfw.SetErrorCallback(onError);
        Trace("glfwInit");
        if (Glfw.Glfw.Init() == 0) throw new InvalidOperationException($"glfwInit failed (is DISPLAY set and an X server running?) {glfwError}");
        IntPtr window = IntPtr.Zero;
        try
        {
            Glfw.Glfw.DefaultWindowHints();
            Glfw.Glfw.WindowHint(Glfw.Glfw.StencilBits, 8);
            Trace("createWindow");
            window = Glfw.Glfw.CreateWindow(options.Width, options.Height, $"sim view - {Path.GetFileName(reader.Path)}", IntPtr.Zero, IntPtr.Zero);
            if (window == IntPtr.Zero) throw new InvalidOperationException($"could not create a window with an OpenGL context: {glfwError}");
            Glfw.Glfw.MakeContextCurrent(window);
            Glfw.Glfw.SwapInterval(0); // the loop caps the rate itself; vsync is meaningless under Xvfb
            Trace("glInterface");
            // Skia's own loader resolves GL functions through the current (GLFW-made) context. Building the interface
            // from glfwGetProcAddress crashed inside Skia with Mesa's GLX (see docs/viewer.md), so it is only the fallback.
            using var glInterface = (GRGlInterface.Create() ?? GRGlInterface.Create(name => Glfw.Glfw.GetProcAddress(name)))
                ?? throw new InvalidOperationException("SkiaSharp could not build a GL interface from GLFW's context");
            Trace("grcontext");
            using var gr = GRContext.CreateGl(glInterface) ?? throw new InvalidOperationException("SkiaSharp could not create a GL context");
            Trace("procs");
            var readPixels = Marshal.GetDelegateForFunctionPointer<GlReadPixels>(Glfw.Glfw.GetProcAddress("glReadPixels"));
            var getString = Marshal.GetDelegateForFunctionPointer<GlGetString>(Glfw.Glfw.GetProcAddress("glGetString"));
            var finish = Marshal.GetDelegateForFunctionPointer<GlFinish>(Glfw.Glfw.GetProcAddress("glFinish"));
            string rendererName = Marshal.PtrToStringUTF8(getString(GlRenderer)) ?? "unknown";

            var model = new ViewerModel(reader) { SelectedAgent = agent, Playing = options.Play };
            if (tick is long t) model.Seek(t);
            using var renderer = new FrameRenderer();
            var input = new InputState(model, renderer, window);
            // Keep the delegates alive for as long as GLFW may call them.
            Glfw.Glfw.KeyCallback onKey = input.OnKey;
            Glfw.Glfw.MouseButtonCallback onMouse = input.OnMouseButton;
            Glfw.Glfw.ScrollCallback onScroll = input.OnScroll;
            Glfw.Glfw.SetKeyCallback(window, onKey);
            Glfw.Glfw.SetMouseButtonCallback(window, onMouse);
            Glfw.Glfw.SetScrollCallback(window, onScroll);

            using var raster = options.Raster ? new RasterPresenter() : null;
            SKSurface? surface = null;
            GRBackendRenderTarget? target = null;
            int fbW = 0, fbH = 0, frames = 0;
            double busy = 0, fps = double.NaN;
            var clock = Stopwatch.StartNew();
            double last = 0;
            try
            {
                while (Glfw.Glfw.WindowShouldClose(window) == 0 && (options.Frames == 0 || frames < options.Frames))
                {
                    long frameStart = Stopwatch.GetTimestamp();
                    Glfw.Glfw.PollEvents();
                    double now = clock.Elapsed.TotalSeconds;
                    input.Update();
                    model.Update(now - last);
                    last = now;

                    Glfw.Glfw.GetFramebufferSize(window, out int w, out int h);
                    if (w <= 0 || h <= 0) { Thread.Sleep(16); continue; } // minimised
                    if (raster is not null)
                    {
                        renderer.Draw(raster.Begin(w, h), model, w, h, fps);
                        raster.Present();
                    }
                    else if (surface is null || w != fbW || h != fbH)
                    {
                        surface?.Dispose();
                        target?.Dispose();
                        (fbW, fbH) = (w, h);
                        target = new GRBackendRenderTarget(w, h, 0, 8, new GRGlFramebufferInfo(0, GlRgba8));
                        surface = SKSurface.Create(gr, target, GRSurfaceOrigin.BottomLeft, SKColorType.Rgba8888)
                            ?? throw new InvalidOperationException("SkiaSharp could not wrap the window's framebuffer");
                    }
                    if (raster is null)
                    {
                        renderer.Draw(surface!.Canvas, model, w, h, fps);
                        surface.Canvas.Flush();
                        gr.Flush();
                    }
                    frames++;
                    if (options.ScreenshotPath is not null && options.Frames > 0 && frames == options.Frames)
                    {
                        finish();
                        SaveFramebuffer(readPixels, w, h, options.ScreenshotPath);
                    }
                    Glfw.Glfw.SwapBuffers(window);
                    double spent = Stopwatch.GetElapsedTime(frameStart).TotalSeconds;
                    busy += spent;
                    fps = frames / Math.Max(1e-9, busy);
                    double budget = 1.0 / Math.Max(1, options.MaxFps);
                    if (spent < budget) Thread.Sleep(TimeSpan.FromSeconds(budget - spent));
                }
            }
            finally
            {
                surface?.Dispose();
                target?.Dispose();
            }
            GC.KeepAlive(onKey); GC.KeepAlive(onMouse); GC.KeepAlive(onScroll); GC.KeepAlive(onError);
            return new ViewerRunResult(frames, clock.Elapsed.TotalSeconds, frames == 0 ? 0 : busy * 1000 / frames, rendererName);
        }
        finally
        {
            if (window != IntPtr.Zero) Glfw.Glfw.DestroyWindow(window);
            Glfw.Glfw.Terminate();
            Glfw.Glfw.SetErrorCallback(null);
        }
    }

    private static readonly bool Tracing = Environment.GetEnvironmentVariable("SIM_VIEWER_TRACE") == "1";

    private static void Trace(string what)
    {
        if (Tracing) Console.Error.WriteLine($"viewer: {what}");
    }

    /// <summary>glReadPixels of the back buffer (what was just drawn), flipped to top-down, saved as PNG.</summary>
    private static void SaveFramebuffer(GlReadPixels readPixels, int w, int h, string path)
    {
        var pixels = new byte[w * h * 4];
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try { readPixels(0, 0, w, h, GlRgba, GlUnsignedByte, handle.AddrOfPinnedObject()); }
        finally { handle.Free(); }
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        var dst = bitmap.GetPixelSpan();
        int row = w * 4;
        var dstBytes = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(dst), dst.Length);
        for (int y = 0; y < h; y++) pixels.AsSpan((h - 1 - y) * row, row).CopyTo(dstBytes.Slice(y * row, row));
        HeadlessRenderer.SavePng(bitmap, path);
    }
}
