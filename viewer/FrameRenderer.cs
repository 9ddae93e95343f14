using Sim.Replay;
using SkiaSharp;

namespace Sim.Viewer;

/// <summary>
/// Draws one viewer frame onto any <see cref="SKCanvas"/>: the window's GL surface and the headless PNG path use this
/// same code. Panels: status bar, world view, search tree, step text, charts and timeline. While drawing it records
/// where things landed (<see cref="NodeHits"/>, <see cref="AgentHits"/>, panel rectangles) for mouse input and tests.
/// </summary>
public sealed partial class FrameRenderer : IDisposable
{
    /// <summary>Background colour.</summary>
    public static readonly SKColor Background = new(24, 26, 32);
    /// <summary>Panel colour.</summary>
    public static readonly SKColor PanelColor = new(34, 37, 46);
    /// <summary>Colour of the chosen path.</summary>
    public static readonly SKColor ChosenColor = new(255, 196, 0);

    private readonly SKFont _font = ViewerFonts.Font(13);
    private readonly SKFont _small = ViewerFonts.Font(11);
    private readonly SKFont _title = ViewerFonts.Font(15);
    private readonly SKPaint _fill = new() { IsAntialias = true, Style = SKPaintStyle.Fill };
    private readonly SKPaint _stroke = new() { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
    private readonly SKPaint _text = new() { IsAntialias = true, Color = new SKColor(225, 228, 235) };
    private readonly SKPaint _dim = new() { IsAntialias = true, Color = new SKColor(150, 156, 170) };

    /// <summary>Where each visible tree node was drawn in the last frame.</summary>
    public List<(long Id, float X, float Y, float Radius)> NodeHits { get; } = new();

    /// <summary>Where each task and agent was drawn in the last frame.</summary>
    public List<(int Id, SKRect Rect)> AgentHits { get; } = new();

    /// <summary>Panel rectangles of the last frame.</summary>
    public SKRect WorldRect { get; private set; }

    /// <summary>The tree panel.</summary>
    public SKRect TreeRect { get; private set; }

    /// <summary>The step text panel.</summary>
    public SKRect TextRect { get; private set; }

    /// <summary>The charts panel.</summary>
    public SKRect ChartRect { get; private set; }

    /// <summary>The timeline.</summary>
    public SKRect TimelineRect { get; private set; }

    /// <summary>Draws the frame for <paramref name="model"/> into a <paramref name="width"/> x <paramref name="height"/> canvas.</summary>
    public void Draw(SKCanvas canvas, ViewerModel model, int width, int height, double fps = double.NaN)
    {
        canvas.Clear(Background);
        const float bar = 30, timeline = 54, gap = 6;
        float left = width * 0.42f;
        float bodyTop = bar + gap, bodyBottom = height - timeline - gap;
        float worldBottom = bodyTop + (bodyBottom - bodyTop) * 0.56f;
        float treeBottom = bodyTop + (bodyBottom - bodyTop) * 0.62f;
        WorldRect = new SKRect(gap, bodyTop, left - gap / 2, worldBottom - gap / 2);
        ChartRect = new SKRect(gap, worldBottom + gap / 2, left - gap / 2, bodyBottom);
        TreeRect = new SKRect(left + gap / 2, bodyTop, width - gap, treeBottom - gap / 2);
        TextRect = new SKRect(left + gap / 2, treeBottom + gap / 2, width - gap, bodyBottom);
        TimelineRect = new SKRect(gap, height - timeline, width - gap, height - gap);

        DrawStatusBar(canvas, model, width, bar, fps);
        DrawPanel(canvas, WorldRect, "World");
        DrawWorld(canvas, model, Inner(WorldRect));
        DrawPanel(canvas, ChartRect, "Charts");
        DrawCharts(canvas, model, Inner(ChartRect));
        DrawPanel(canvas, TreeRect, model.TreeAgent is int a ? $"Search tree: {AgentName(model, a)}" : "Search tree");
        DrawTree(canvas, model, Inner(TreeRect));
        DrawPanel(canvas, TextRect, "Steps");
        DrawSteps(canvas, model, Inner(TextRect));
        DrawTimeline(canvas, model, TimelineRect);
    }

    private static SKRect Inner(SKRect r) => new(r.Left + 8, r.Top + 24, r.Right - 8, r.Bottom - 8);

    private void DrawPanel(SKCanvas canvas, SKRect r, string title)
    {
        _fill.Color = PanelColor;
        canvas.DrawRoundRect(r, 6, 6, _fill);
        canvas.DrawText(title, r.Left + 8, r.Top + 17, SKTextAlign.Left, _font, _dim);
    }

    private void DrawStatusBar(SKCanvas canvas, ViewerModel model, int width, float height, double fps)
    {
        var r = model.Reader;
        string state = r.IsComplete ? "complete" : $"cut short at offset {r.Truncation?.Offset}";
        string text = $"{Path.GetFileName(r.Path)}   {r.Header.Source}, seed {r.Header.Seed}, schema v{r.SchemaVersion}, {state}";
        canvas.DrawText(text, 10, 20, SKTextAlign.Left, _title, _text);
        string right = double.IsFinite(fps) ? $"{fps:F0} fps" : "";
        if (right.Length > 0) canvas.DrawText(right, width - 10, 20, SKTextAlign.Right, _font, _dim);
        if (model.Error is { } err)
        {
            _text.Color = new SKColor(255, 110, 110);
            canvas.DrawText(err, width * 0.55f, 20, SKTextAlign.Left, _font, _text);
            _text.Color = new SKColor(225, 228, 235);
        }
    }

    /// <summary>Colour of a value or reward in [0, 1]: red, through yellow, to green (values outside are clamped).</summary>
    public static SKColor ValueColor(float v)
    {
        if (!float.IsFinite(v)) v = 0;
        v = Math.Clamp(v, 0, 1);
        static byte L(float a, float b, float t) => (byte)MathF.Round(a + (b - a) * t);
        return v < 0.5f
            ? new SKColor(L(214, 230, v * 2), L(64, 196, v * 2), L(64, 64, v * 2))
            : new SKColor(L(230, 56, (v - 0.5f) * 2), L(196, 178, (v - 0.5f) * 2), L(64, 96, (v - 0.5f) * 2));
    }

    /// <summary>Colour of a task's status: open, solved, failed.</summary>
    public static SKColor StatusColor(float status) => status > 0.5f ? new SKColor(56, 178, 96) : status < -0.5f ? new SKColor(214, 64, 64) : new SKColor(96, 120, 200);

    private static string AgentName(ViewerModel model, int id) =>
        model.State.Entities.TryGetValue(id, out var e) && e.Label is not null ? e.Label : $"agent {id}";

    private void DrawTimeline(SKCanvas canvas, ViewerModel model, SKRect r)
    {
        _fill.Color = PanelColor;
        canvas.DrawRoundRect(r, 6, 6, _fill);
        var reader = model.Reader;
        var track = new SKRect(r.Left + 12, r.Top + 8, r.Right - 12, r.Top + 22);
        _fill.Color = new SKColor(55, 60, 74);
        canvas.DrawRoundRect(track, 4, 4, _fill);
        double span = Math.Max(1, reader.LastTick - reader.FirstTick);
        float x = track.Left + (float)((model.Tick - reader.FirstTick) / span) * track.Width;
        _fill.Color = new SKColor(80, 140, 230);
        canvas.DrawRoundRect(new SKRect(track.Left, track.Top, Math.Max(track.Left + 2, x), track.Bottom), 4, 4, _fill);
        if (reader.Chunks.Count <= 400)
        {
            _stroke.Color = new SKColor(110, 116, 132);
            foreach (var c in reader.Chunks)
            {
                float cx = track.Left + (float)((c.FirstTick - reader.FirstTick) / span) * track.Width;
                canvas.DrawLine(cx, track.Bottom, cx, track.Bottom + 3, _stroke);
            }
        }
        _fill.Color = SKColors.White;
        canvas.DrawCircle(x, track.MidY, 7, _fill);
        string play = model.Playing ? "playing" : "paused";
        canvas.DrawText($"tick {model.Tick}  ({reader.FirstTick}..{reader.LastTick})   {play}, {model.Speed:G3} ticks/s", r.Left + 12, r.Bottom - 9, SKTextAlign.Left, _font, _text);
        canvas.DrawText("space play/pause   \u2190 \u2192 step   + - speed   drag to scrub   wheel zoom   drag tree to pan", r.Right - 12, r.Bottom - 9, SKTextAlign.Right, _small, _dim);
    }

    /// <summary>The tick under screen x in the timeline.</summary>
    public long TickAt(ViewerModel model, float x)
    {
        var track = new SKRect(TimelineRect.Left + 12, 0, TimelineRect.Right - 12, 0);
        double f = Math.Clamp((x - track.Left) / Math.Max(1, track.Width), 0, 1);
        return model.Reader.FirstTick + (long)Math.Round(f * (model.Reader.LastTick - model.Reader.FirstTick));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _font.Dispose(); _small.Dispose(); _title.Dispose();
        _fill.Dispose(); _stroke.Dispose(); _text.Dispose(); _dim.Dispose();
    }
}
