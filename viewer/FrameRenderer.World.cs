using System.Text.Json;
using Sim.Replay;
using SkiaSharp;

namespace Sim.Viewer;

public sealed partial class FrameRenderer
{
    /// <summary>
    /// The world: entities with a <c>position</c> as dots in world coordinates; tasks and agents as labelled cards
    /// (agents coloured by their latest reward, tasks by status), with a line from each agent to its task.
    /// </summary>
    private void DrawWorld(SKCanvas canvas, ViewerModel model, SKRect r)
    {
        AgentHits.Clear();
        var state = model.State;
        canvas.Save();
        canvas.ClipRect(r);
        var pos = state.Component("position");
        if (pos is not null && pos.Count > 0)
        {
            float size = WorldSize(model, pos);
            float scale = Math.Min(r.Width, r.Height) / size;
            float ox = r.Left + (r.Width - size * scale) / 2, oy = r.Top + (r.Height - size * scale) / 2;
            _stroke.Color = new SKColor(70, 76, 92);
            canvas.DrawRect(ox, oy, size * scale, size * scale, _stroke);
            var ents = pos.Entities;
            var vals = pos.Values;
            using var path = new SKPath();
            for (int i = 0; i < ents.Length; i++)
                path.AddRect(SKRect.Create(ox + vals[i * pos.Stride] * scale - 1.5f, oy + vals[i * pos.Stride + 1] * scale - 1.5f, 3, 3));
            _fill.Color = new SKColor(110, 180, 255);
            canvas.DrawPath(path, _fill);
            canvas.DrawText($"{ents.Length} entities", r.Left + 4, r.Bottom - 4, SKTextAlign.Left, _small, _dim);
        }

        var agents = state.Entities.Values.Where(e => e.Kind == EntityKind.Agent).OrderBy(e => e.Id).ToList();
        var tasks = state.Entities.Values.Where(e => e.Kind == EntityKind.Task).OrderBy(e => e.Id).ToList();
        if (agents.Count + tasks.Count > 0)
        {
            float rowH = Math.Clamp((r.Height - 8) / Math.Max(1, Math.Max(agents.Count, tasks.Count)), 10, 34);
            float cardW = Math.Min(150, r.Width * 0.38f);
            var taskRects = new Dictionary<int, SKRect>();
            var status = state.Component("status");
            for (int i = 0; i < tasks.Count; i++)
            {
                var rect = SKRect.Create(r.Right - cardW - 4, r.Top + 4 + i * rowH, cardW, rowH - 4);
                taskRects[tasks[i].Id] = rect;
                var s = status is null ? default : status.Get(tasks[i].Id);
                _fill.Color = StatusColor(s.Length > 0 ? s[0] : 0);
                canvas.DrawRoundRect(rect, 4, 4, _fill);
                if (rowH >= 16) canvas.DrawText(tasks[i].Label ?? $"task {tasks[i].Id}", rect.Left + 6, rect.MidY + 4, SKTextAlign.Left, _small, _text);
                AgentHits.Add((tasks[i].Id, rect));
            }
            var taskOf = state.Component("task");
            int? shown = model.TreeAgent;
            for (int i = 0; i < agents.Count; i++)
            {
                var a = agents[i];
                var rect = SKRect.Create(r.Left + 4, r.Top + 4 + i * rowH, cardW, rowH - 4);
                var t = taskOf is null ? default : taskOf.Get(a.Id);
                if (t.Length > 0 && taskRects.TryGetValue((int)t[0], out var tr))
                {
                    _stroke.Color = new SKColor(120, 126, 140);
                    canvas.DrawLine(rect.Right, rect.MidY, tr.Left, tr.MidY, _stroke);
                }
                _fill.Color = state.LastReward.TryGetValue(a.Id, out float rw) ? ValueColor(rw) : new SKColor(120, 126, 140);
                canvas.DrawRoundRect(rect, 4, 4, _fill);
                if (shown == a.Id)
                {
                    _stroke.Color = SKColors.White;
                    _stroke.StrokeWidth = 2;
                    canvas.DrawRoundRect(rect, 4, 4, _stroke);
                    _stroke.StrokeWidth = 1;
                }
                if (rowH >= 16) canvas.DrawText(a.Label ?? $"agent {a.Id}", rect.Left + 6, rect.MidY + 4, SKTextAlign.Left, _small, _textDark);
                AgentHits.Add((a.Id, rect));
            }
        }
        if (state.Entities.Count == 0) canvas.DrawText("no entities at this tick", r.MidX, r.MidY, SKTextAlign.Center, _font, _dim);
        canvas.Restore();
    }

    private readonly SKPaint _textDark = new() { IsAntialias = true, Color = new SKColor(20, 20, 24) };

    private float? _worldSize;

    private float WorldSize(ViewerModel model, ComponentTable pos)
    {
        if (_worldSize is null)
        {
            try
            {
                using var doc = JsonDocument.Parse(model.Reader.Header.ConfigJson);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("world_size", out var ws) && ws.TryGetSingle(out float f) && f > 0)
                    _worldSize = f;
            }
            catch (JsonException) { }
            if (_worldSize is null)
            {
                float max = 1;
                foreach (float v in pos.Values) max = Math.Max(max, Math.Abs(v));
                _worldSize = max;
            }
        }
        return _worldSize.Value;
    }
}
