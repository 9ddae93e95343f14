using Sim.Replay;
using SkiaSharp;

namespace Sim.Viewer;

/// <summary>Renders a viewer frame without a display, on a Skia raster surface, with the same drawing code as the window.</summary>
public static class HeadlessRenderer
{
    /// <summary>Renders the frame of <paramref name="model"/> and returns the bitmap (the caller disposes it).</summary>
    public static SKBitmap Render(ViewerModel model, int width, int height, FrameRenderer? renderer = null)
    {
        if (width < 200 || height < 150 || width > 8192 || height > 8192) throw new ArgumentException($"size {width}x{height} must be within 200x150..8192x8192");
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        bool own = renderer is null;
        renderer ??= new FrameRenderer();
        try { renderer.Draw(canvas, model, width, height); }
        finally { if (own) renderer.Dispose(); }
        canvas.Flush();
        return bitmap;
    }

    /// <summary>Opens <paramref name="replayPath"/>, seeks to <paramref name="tick"/>, and writes the frame to <paramref name="pngPath"/>.</summary>
    public static void RenderPng(string replayPath, string pngPath, long tick, int? agent, int width, int height)
    {
        using var reader = ReplayReader.Open(replayPath);
        var model = new ViewerModel(reader) { SelectedAgent = agent };
        model.Seek(tick);
        if (model.Error is not null) throw new ReplayFormatException(reader.Chunks[Math.Max(0, reader.FindChunk(tick))].Offset, model.Error);
        using var bitmap = Render(model, width, height);
        SavePng(bitmap, pngPath);
    }

    /// <summary>Encodes <paramref name="bitmap"/> as PNG at <paramref name="path"/>.</summary>
    public static void SavePng(SKBitmap bitmap, string path)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }
}
