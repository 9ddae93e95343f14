using SkiaSharp;

namespace Sim.Viewer;

/// <summary>
/// Loads the viewer's TTF explicitly, so text renders the same on every machine (Skia's default font lookup finds
/// nothing on a bare container). <c>SIM_VIEWER_FONT</c> overrides the path; the default is Debian's
/// fonts-dejavu-core.
/// </summary>
public static class ViewerFonts
{
    /// <summary>The default font path (Debian package fonts-dejavu-core).</summary>
    public const string DefaultPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    private static SKTypeface? _typeface;
    private static readonly object Lock = new();

    /// <summary>The loaded typeface; throws <see cref="FileNotFoundException"/> with a fix when the TTF is missing.</summary>
    public static SKTypeface Typeface
    {
        get
        {
            lock (Lock)
            {
                if (_typeface is not null) return _typeface;
                string path = Environment.GetEnvironmentVariable("SIM_VIEWER_FONT") is { Length: > 0 } p ? p : DefaultPath;
                if (!File.Exists(path))
                    throw new FileNotFoundException(
                        $"viewer font not found at {path}: install Debian's fonts-dejavu-core (apt-get install fonts-dejavu-core) or point SIM_VIEWER_FONT at a .ttf file", path);
                _typeface = SKTypeface.FromFile(path) ?? throw new InvalidDataException($"viewer font {path} is not a readable TTF");
                return _typeface;
            }
        }
    }

    /// <summary>A font of <paramref name="size"/> pixels.</summary>
    public static SKFont Font(float size) => new(Typeface, size) { Edging = SKFontEdging.Antialias, Subpixel = true };
}
