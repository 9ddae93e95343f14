using System.Runtime.InteropServices;
using SkiaSharp;
using G = Sim.Viewer.Glfw.Glfw;

namespace Sim.Viewer;

/// <summary>
/// The window's alternative backend (<c>--backend raster</c>): Skia draws on the CPU into a raster surface and the frame
/// is uploaded into a GL texture and blitted to the window's framebuffer. On software GL (Mesa llvmpipe) this is
/// cheaper than Skia's GPU backend, whose work llvmpipe emulates on the CPU anyway.
/// </summary>
internal sealed unsafe class RasterPresenter : IDisposable
{
    private const uint Texture2D = 0x0DE1, Rgba8 = 0x8058, Rgba = 0x1908, UnsignedByte = 0x1401;
    private const uint ReadFramebuffer = 0x8CA8, DrawFramebuffer = 0x8CA9, ColorAttachment0 = 0x8CE0, ColorBufferBit = 0x4000, Nearest = 0x2600;
    private const uint TextureMinFilter = 0x2801, TextureMagFilter = 0x2800;

    private readonly delegate* unmanaged[Cdecl]<int, uint*, void> _genTextures;
    private readonly delegate* unmanaged[Cdecl]<uint, uint, void> _bindTexture;
    private readonly delegate* unmanaged[Cdecl]<uint, uint, int, void> _texParameteri;
    private readonly delegate* unmanaged[Cdecl]<uint, int, int, int, int, int, uint, uint, void*, void> _texImage2D;
    private readonly delegate* unmanaged[Cdecl]<uint, int, int, int, int, int, uint, uint, void*, void> _texSubImage2D;
    private readonly delegate* unmanaged[Cdecl]<int, uint*, void> _genFramebuffers;
    private readonly delegate* unmanaged[Cdecl]<uint, uint, void> _bindFramebuffer;
    private readonly delegate* unmanaged[Cdecl]<uint, uint, uint, uint, int, void> _framebufferTexture2D;
    private readonly delegate* unmanaged[Cdecl]<int, int, int, int, int, int, int, int, uint, uint, void> _blitFramebuffer;
    private readonly delegate* unmanaged[Cdecl]<int, uint*, void> _deleteTextures;
    private readonly delegate* unmanaged[Cdecl]<int, uint*, void> _deleteFramebuffers;

    private uint _texture, _fbo;
    private int _w, _h;
    private SKSurface? _surface;

    public RasterPresenter()
    {
        static IntPtr P(string name) => G.GetProcAddress(name) is var p && p != IntPtr.Zero ? p : throw new InvalidOperationException($"OpenGL function {name} is missing");
        _genTextures = (delegate* unmanaged[Cdecl]<int, uint*, void>)P("glGenTextures");
        _bindTexture = (delegate* unmanaged[Cdecl]<uint, uint, void>)P("glBindTexture");
        _texParameteri = (delegate* unmanaged[Cdecl]<uint, uint, int, void>)P("glTexParameteri");
        _texImage2D = (delegate* unmanaged[Cdecl]<uint, int, int, int, int, int, uint, uint, void*, void>)P("glTexImage2D");
        _texSubImage2D = (delegate* unmanaged[Cdecl]<uint, int, int, int, int, int, uint, uint, void*, void>)P("glTexSubImage2D");
        _genFramebuffers = (delegate* unmanaged[Cdecl]<int, uint*, void>)P("glGenFramebuffers");
        _bindFramebuffer = (delegate* unmanaged[Cdecl]<uint, uint, void>)P("glBindFramebuffer");
        _framebufferTexture2D = (delegate* unmanaged[Cdecl]<uint, uint, uint, uint, int, void>)P("glFramebufferTexture2D");
        _blitFramebuffer = (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, int, int, uint, uint, void>)P("glBlitFramebuffer");
        _deleteTextures = (delegate* unmanaged[Cdecl]<int, uint*, void>)P("glDeleteTextures");
        _deleteFramebuffers = (delegate* unmanaged[Cdecl]<int, uint*, void>)P("glDeleteFramebuffers");
    }

    /// <summary>The raster canvas for a frame of <paramref name="w"/> x <paramref name="h"/>.</summary>
    public SKCanvas Begin(int w, int h)
    {
        if (_surface is null || w != _w || h != _h)
        {
            _surface?.Dispose();
            _surface = SKSurface.Create(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
            (_w, _h) = (w, h);
            uint t = _texture, f = _fbo;
            if (t != 0) _deleteTextures(1, &t);
            if (f != 0) _deleteFramebuffers(1, &f);
            _genTextures(1, &t);
            _bindTexture(Texture2D, t);
            _texParameteri(Texture2D, TextureMinFilter, (int)Nearest);
            _texParameteri(Texture2D, TextureMagFilter, (int)Nearest);
            _texImage2D(Texture2D, 0, (int)Rgba8, w, h, 0, Rgba, UnsignedByte, null);
            _genFramebuffers(1, &f);
            _bindFramebuffer(ReadFramebuffer, f);
            _framebufferTexture2D(ReadFramebuffer, ColorAttachment0, Texture2D, t, 0);
            _bindFramebuffer(ReadFramebuffer, 0);
            (_texture, _fbo) = (t, f);
        }
        return _surface!.Canvas;
    }

    /// <summary>Uploads the frame and copies it to the window's back buffer, flipping rows (Skia is top-down, GL bottom-up).</summary>
    public void Present()
    {
        _surface!.Canvas.Flush();
        using var pixmap = _surface.PeekPixels();
        _bindTexture(Texture2D, _texture);
        _texSubImage2D(Texture2D, 0, 0, 0, _w, _h, Rgba, UnsignedByte, (void*)pixmap.GetPixels());
        _bindFramebuffer(ReadFramebuffer, _fbo);
        _bindFramebuffer(DrawFramebuffer, 0);
        _blitFramebuffer(0, 0, _w, _h, 0, _h, _w, 0, ColorBufferBit, Nearest);
        _bindFramebuffer(ReadFramebuffer, 0);
    }

    public void Dispose()
    {
        _surface?.Dispose();
        uint t = _texture, f = _fbo;
        if (t != 0) _deleteTextures(1, &t);
        if (f != 0) _deleteFramebuffers(1, &f);
    }
}
