using SkiaSharp;
using G = Sim.Viewer.Glfw.Glfw;

namespace Sim.Viewer;

/// <summary>Turns GLFW input into model changes: keys for playback, the mouse for scrubbing, clicking, panning and zooming.</summary>
internal sealed class InputState(ViewerModel model, FrameRenderer renderer, IntPtr window)
{
    private enum Drag { None, Timeline, Tree }
    private Drag _drag;
    private SKPoint _dragFrom, _panFrom;

    public void OnKey(IntPtr w, int key, int scancode, int action, int mods)
    {
        if (action == G.Release) return;
        switch (key)
        {
            case G.KeySpace when action == G.Press: model.Playing = !model.Playing; break;
            case G.KeyRight: model.Playing = false; model.Step(+1); break;
            case G.KeyLeft: model.Playing = false; model.Step(-1); break;
            case G.KeyUp: model.Playing = false; model.Step(+10); break;
            case G.KeyDown: model.Playing = false; model.Step(-10); break;
            case G.KeyHome: model.Seek(model.Reader.FirstTick); break;
            case G.KeyEnd: model.Seek(model.Reader.LastTick); break;
            case G.KeyEqual or G.KeyKpAdd: model.Speed = Math.Min(10_000, model.Speed * 2); break;
            case G.KeyMinus or G.KeyKpSubtract: model.Speed = Math.Max(0.25, model.Speed / 2); break;
            case G.KeyR: model.Zoom = 1; model.Pan = default; break;
            case G.KeyEscape: G.SetWindowShouldClose(window, G.True); break;
        }
    }

    public void OnMouseButton(IntPtr w, int button, int action, int mods)
    {
        if (button != G.MouseButtonLeft) return;
        G.GetCursorPos(window, out double cx, out double cy);
        var p = new SKPoint((float)cx, (float)cy);
        if (action == G.Release) { _drag = Drag.None; return; }
        if (renderer.TimelineRect.Contains(p)) { _drag = Drag.Timeline; model.Playing = false; model.Seek(renderer.TickAt(model, p.X)); return; }
        if (renderer.TreeRect.Contains(p))
        {
            var node = renderer.NodeAt(p.X, p.Y);
            if (node is not null) model.SelectedNode = node;
            else { _drag = Drag.Tree; _dragFrom = p; _panFrom = model.Pan; }
            return;
        }
        foreach (var (id, rect) in renderer.AgentHits)
            if (rect.Contains(p) && model.State.Entities.TryGetValue(id, out var e) && e.Kind == Replay.EntityKind.Agent)
            {
                model.SelectedAgent = id;
                model.SelectedNode = null;
            }
    }

    public void OnScroll(IntPtr w, double dx, double dy)
    {
        G.GetCursorPos(window, out double cx, out double cy);
        var p = new SKPoint((float)cx, (float)cy);
        if (!renderer.TreeRect.Contains(p)) return;
        float factor = dy > 0 ? 1.25f : 0.8f;
        float zoom = Math.Clamp(model.Zoom * factor, 0.05f, 200f);
        // Zoom about the cursor: keep the tree point under it fixed.
        float k = zoom / model.Zoom;
        float ox = renderer.TreeRect.Left + 8 + 22, oy = renderer.TreeRect.Top + 24 + 22;
        model.Pan = new SKPoint(p.X - ox - (p.X - ox - model.Pan.X) * k, p.Y - oy - (p.Y - oy - model.Pan.Y) * k);
        model.Zoom = zoom;
    }

    /// <summary>Per-frame: continue a drag with the current cursor position.</summary>
    public void Update()
    {
        if (_drag == Drag.None) return;
        if (G.GetMouseButton(window, G.MouseButtonLeft) != G.Press) { _drag = Drag.None; return; }
        G.GetCursorPos(window, out double cx, out double cy);
        if (_drag == Drag.Timeline) model.Seek(renderer.TickAt(model, (float)cx));
        else model.Pan = new SKPoint(_panFrom.X + (float)cx - _dragFrom.X, _panFrom.Y + (float)cy - _dragFrom.Y);
    }
}
