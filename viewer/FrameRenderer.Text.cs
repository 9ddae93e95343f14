using Sim.Replay;
using SkiaSharp;

namespace Sim.Viewer;

public sealed partial class FrameRenderer
{
    /// <summary>
    /// The steps from the root to the selected node (or along the chosen path, or to the most visited leaf), each with
    /// its process reward, value and visits; the clicked node's details first.
    /// </summary>
    private void DrawSteps(SKCanvas canvas, ViewerModel model, SKRect r)
    {
        var tree = model.Tree;
        if (tree is null || tree.Count == 0)
        {
            var ep = model.State.EpisodesThisTick;
            string msg = ep.Count > 0 ? $"{ep.Count} episodes ended at this tick" : "no steps recorded at this tick";
            canvas.DrawText(msg, r.Left + 4, r.Top + 14, SKTextAlign.Left, _font, _dim);
            return;
        }
        long end;
        if (model.SelectedNode is long sel && tree.ContainsKey(sel)) end = sel;
        else
        {
            // The default line depends only on the tree, which changes only with the tick: cache it with the layout.
            if (!ReferenceEquals(_leafFor, model.Layout)) { _leafFor = model.Layout; _leaf = DefaultLeaf(tree); }
            end = _leaf;
        }
        var path = new List<TreeNodeState>();
        var guard = new HashSet<long>();
        for (long id = end; id >= 0 && tree.TryGetValue(id, out var node) && guard.Add(id); id = node.Parent) path.Add(node);
        path.Reverse();

        canvas.Save();
        canvas.ClipRect(r);
        float y = r.Top + 14;
        var last = path[^1];
        string head = $"node {last.Id}   visits {last.Visits}   value {last.Value:F3}   reward {last.Reward:F3}{(last.Chosen ? "   chosen" : "")}";
        canvas.DrawText(head, r.Left + 4, y, SKTextAlign.Left, _font, _text);
        y += 20;
        foreach (var node in path)
        {
            if (y > r.Bottom) break;
            var badge = SKRect.Create(r.Left + 4, y - 11, 44, 15);
            _fill.Color = ValueColor(node.Reward);
            canvas.DrawRoundRect(badge, 3, 3, _fill);
            canvas.DrawText(node.Reward.ToString("F2"), badge.MidX, y, SKTextAlign.Center, _small, _textDark);
            float x = badge.Right + 6;
            foreach (string line in Wrap(node.Step.Length == 0 ? $"(node {node.Id})" : node.Step, r.Right - x - 4, _font))
            {
                if (y > r.Bottom) break;
                canvas.DrawText(line, x, y, SKTextAlign.Left, _font, node.Chosen ? _chosenText : _text);
                y += 17;
            }
            y += 3;
        }
        canvas.Restore();
    }

    private TreeLayout? _leafFor;
    private long _leaf;

    private readonly SKPaint _chosenText = new() { IsAntialias = true, Color = new SKColor(255, 214, 90) };

    private static long DefaultLeaf(Dictionary<long, TreeNodeState> tree)
    {
        // The deepest chosen node when there is a chosen path; otherwise follow the most visited child from the root.
        var chosen = tree.Values.Where(n => n.Chosen).ToList();
        if (chosen.Count > 0)
        {
            var chosenParents = chosen.Select(n => n.Parent).ToHashSet();
            var leaf = chosen.Where(n => !chosenParents.Contains(n.Id)).OrderBy(n => n.Id).FirstOrDefault();
            if (leaf is not null) return leaf.Id;
        }
        var children = tree.Values.Where(n => n.Parent >= 0).GroupBy(n => n.Parent).ToDictionary(g => g.Key, g => g.ToList());
        long id = tree.Values.Where(n => n.Parent < 0 || !tree.ContainsKey(n.Parent)).OrderBy(n => n.Id).First().Id;
        var seen = new HashSet<long>();
        while (seen.Add(id) && children.TryGetValue(id, out var kids)) id = kids.OrderByDescending(k => k.Visits).ThenBy(k => k.Id).First().Id;
        return id;
    }

    private static IEnumerable<string> Wrap(string text, float width, SKFont font)
    {
        foreach (string para in text.Split('\n'))
        {
            var words = para.Split(' ');
            var line = "";
            foreach (string w in words)
            {
                string next = line.Length == 0 ? w : line + " " + w;
                if (line.Length > 0 && font.MeasureText(next) > width) { yield return line; line = w; }
                else line = next;
            }
            yield return line;
        }
    }

    /// <summary>Up to three line charts (reward, solve rate, loss when recorded), with the current tick marked.</summary>
    private void DrawCharts(SKCanvas canvas, ViewerModel model, SKRect r)
    {
        var names = model.Charts.Preferred();
        if (names.Count == 0)
        {
            canvas.DrawText("no metrics recorded", r.MidX, r.MidY, SKTextAlign.Center, _font, _dim);
            return;
        }
        float h = r.Height / names.Count;
        var reader = model.Reader;
        double span = Math.Max(1, reader.LastTick - reader.FirstTick);
        SKColor[] colors = [new(120, 200, 255), new(120, 230, 140), new(255, 160, 90)];
        for (int k = 0; k < names.Count; k++)
        {
            var series = model.Charts.Series[names[k]];
            var box = new SKRect(r.Left, r.Top + k * h + 16, r.Right, r.Top + (k + 1) * h - 6);
            double lo = series.Min(p => p.Value), hi = series.Max(p => p.Value);
            if (hi - lo < 1e-12) { hi += 0.5; lo -= 0.5; }
            double current = series.LastOrDefault(p => p.Tick <= model.Tick, series[0]).Value;
            canvas.DrawText($"{names[k]}  {current:G4}   [{lo:G3} .. {hi:G3}]", box.Left, box.Top - 4, SKTextAlign.Left, _small, _dim);
            _stroke.Color = new SKColor(60, 66, 80);
            canvas.DrawRect(box, _stroke);
            using var path = new SKPath();
            // Decimate to about one point per pixel column.
            int stride = Math.Max(1, series.Count / Math.Max(1, (int)box.Width));
            for (int i = 0; i < series.Count; i += stride)
            {
                float x = box.Left + (float)((series[i].Tick - reader.FirstTick) / span) * box.Width;
                float y = box.Bottom - (float)((series[i].Value - lo) / (hi - lo)) * box.Height;
                if (i == 0) path.MoveTo(x, y); else path.LineTo(x, y);
            }
            _stroke.Color = colors[k % colors.Length];
            _stroke.StrokeWidth = 1.5f;
            canvas.DrawPath(path, _stroke);
            _stroke.StrokeWidth = 1;
            float cx = box.Left + (float)((model.Tick - reader.FirstTick) / span) * box.Width;
            _stroke.Color = new SKColor(255, 255, 255, 120);
            canvas.DrawLine(cx, box.Top, cx, box.Bottom, _stroke);
        }
    }
}
