using Sim.Replay;
using SkiaSharp;

namespace Sim.Viewer;

public sealed partial class FrameRenderer
{
    private const int ColorBuckets = 32;
    private const int SizeSteps = 4;
    private readonly SKPaint _atlasPaint = new();
    private SKImage? _atlas;
    private float _atlasBaseR = -1;

    private static float AtlasCell(float baseR) => MathF.Ceiling(2 * NodeRadius(baseR, SizeSteps - 1)) + 4;

    /// <summary>Discs for every (size step, colour bucket), rebuilt only when the node size changes (zoom).</summary>
    private SKImage NodeAtlas(float baseR)
    {
        if (_atlas is not null && _atlasBaseR == baseR) return _atlas;
        _atlas?.Dispose();
        float cell = AtlasCell(baseR);
        using var surface = SKSurface.Create(new SKImageInfo((int)(cell * SizeSteps), (int)(cell * ColorBuckets), SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.Transparent);
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        for (int b = 0; b < ColorBuckets; b++)
            for (int k = 0; k < SizeSteps; k++)
            {
                paint.Color = ValueColor((b + 0.5f) / ColorBuckets);
                surface.Canvas.DrawCircle(k * cell + cell / 2, b * cell + cell / 2, NodeRadius(baseR, k), paint);
            }
        _atlas = surface.Snapshot();
        _atlasBaseR = baseR;
        return _atlas;
    }

    /// <summary>Radius of a node of size step <paramref name="size"/> (0..SizeSteps-1, by log visits).</summary>
    private static float NodeRadius(float baseR, int size) => baseR * (0.65f + 0.35f * (size + 1) / SizeSteps);

    /// <summary>
    /// The selected agent's search tree, panned and zoomed. Nodes are filled by value (red, yellow, green), sized by
    /// visits, and labelled with their visit count when there is room; the chosen path is drawn in gold. Nodes are
    /// batched into one path per colour bucket so 10,000 nodes cost a few dozen draw calls.
    /// </summary>
    private void DrawTree(SKCanvas canvas, ViewerModel model, SKRect r)
    {
        NodeHits.Clear();
        var tree = model.Tree;
        var layout = model.Layout;
        if (tree is null || layout is null || layout.Ids.Length == 0)
        {
            canvas.DrawText("no search tree at this tick", r.MidX, r.MidY, SKTextAlign.Center, _font, _dim);
            return;
        }
        canvas.Save();
        canvas.ClipRect(r);
        const float pad = 22;
        float sx = (r.Width - 2 * pad) / Math.Max(1, layout.Width - 1);
        float sy = (r.Height - 2 * pad) / Math.Max(1, layout.Depth);
        sx = Math.Min(sx, 60) * model.Zoom;
        sy = Math.Min(sy, 70) * model.Zoom;
        float ox = r.Left + pad + model.Pan.X + (layout.Width <= 1 ? (r.Width - 2 * pad) / 2 : 0);
        float oy = r.Top + pad + model.Pan.Y;
        int n = layout.Ids.Length;
        var nodes = new TreeNodeState[n];
        int maxVisits = 1;
        for (int i = 0; i < n; i++)
        {
            nodes[i] = tree[layout.Ids[i]];
            maxVisits = Math.Max(maxVisits, nodes[i].Visits);
        }
        float baseR = MathF.Round(Math.Clamp(Math.Min(sx, sy) * 0.32f, 2.5f, 14f) * 2) / 2; // half-pixel steps keep the atlas cache useful
        var cull = SKRect.Inflate(r, 20, 20);

        // Edges as one path per style: a single draw call each.
        using var edges = new SKPath();
        using var chosenEdges = new SKPath();
        for (int i = 0; i < n; i++)
        {
            int p = layout.ParentIndex[i];
            if (p < 0) continue;
            float x0 = ox + layout.X[p] * sx, y0 = oy + layout.Y[p] * sy, x1 = ox + layout.X[i] * sx, y1 = oy + layout.Y[i] * sy;
            if (!cull.Contains(x0, y0) && !cull.Contains(x1, y1)) continue;
            var target = nodes[i].Chosen && nodes[p].Chosen ? chosenEdges : edges;
            target.MoveTo(x0, y0);
            target.LineTo(x1, y1);
        }
        _stroke.Color = new SKColor(95, 102, 120);
        // Anti-aliased hairlines cost the raster backend about 2 us each; past a few thousand edges they are
        // indistinguishable from aliased ones, which are several times cheaper.
        _stroke.IsAntialias = n <= 2000;
        canvas.DrawPath(edges, _stroke);
        _stroke.IsAntialias = true;
        _stroke.Color = ChosenColor;
        _stroke.StrokeWidth = 3;
        canvas.DrawPath(chosenEdges, _stroke);
        _stroke.StrokeWidth = 1;

        // Nodes as sprites from a small atlas of pre-drawn discs (one per colour bucket and size step), all in one
        // DrawAtlas call: 10,000 nodes cost about as much as one image draw, on the raster and the GL backend alike.
        var atlas = NodeAtlas(baseR);
        var xforms = new List<SKRotationScaleMatrix>(n);
        var sprites = new List<SKRect>(n);
        var rings = new List<SKPoint>?[SizeSteps];
        float logMax = MathF.Log(1 + maxVisits);
        float cell = AtlasCell(baseR);
        for (int i = 0; i < n; i++)
        {
            float x = ox + layout.X[i] * sx, y = oy + layout.Y[i] * sy;
            if (!cull.Contains(x, y)) continue;
            var node = nodes[i];
            int size = Math.Min(SizeSteps - 1, (int)(SizeSteps * MathF.Log(1 + Math.Max(0, node.Visits)) / logMax));
            int b = Bucket(node.Value);
            sprites.Add(SKRect.Create(size * cell, b * cell, cell, cell));
            xforms.Add(SKRotationScaleMatrix.CreateTranslation(x - cell / 2, y - cell / 2));
            if (node.Chosen) (rings[size] ??= new List<SKPoint>()).Add(new SKPoint(x, y));
            NodeHits.Add((node.Id, x, y, NodeRadius(baseR, size)));
        }
        if (sprites.Count > 0) canvas.DrawAtlas(atlas, sprites.ToArray(), xforms.ToArray(), _atlasPaint);
        _stroke.Color = ChosenColor;
        _stroke.StrokeWidth = 2;
        for (int k = 0; k < SizeSteps; k++)
            if (rings[k] is { } pts)
                foreach (var pt in pts) canvas.DrawCircle(pt, NodeRadius(baseR, k) + 2.5f, _stroke);
        _stroke.StrokeWidth = 1;

        // Visit counts beside the nodes, only when there is room and not too many to read.
        if (baseR >= 6 && NodeHits.Count <= 400)
            foreach (var (id, x, y, rad) in NodeHits)
                canvas.DrawText(tree[id].Visits.ToString(), x + rad + 2, y - rad, SKTextAlign.Left, _small, _dim);

        if (model.SelectedNode is long sel)
            foreach (var (id, x, y, rad) in NodeHits)
                if (id == sel)
                {
                    _stroke.Color = SKColors.White;
                    _stroke.StrokeWidth = 2;
                    canvas.DrawCircle(x, y, rad + 5, _stroke);
                    _stroke.StrokeWidth = 1;
                }
        canvas.Restore();
        canvas.DrawText($"{n} nodes, {NodeHits.Count} visible, zoom {model.Zoom:G3}", r.Right - 4, r.Bottom - 4, SKTextAlign.Right, _small, _dim);
    }

    /// <summary>The colour bucket a node's value falls in; <see cref="BucketColor"/> gives its fill.</summary>
    public static int Bucket(float value) => Math.Clamp((int)((float.IsFinite(value) ? Math.Clamp(value, 0, 1) : 0) * ColorBuckets), 0, ColorBuckets - 1);

    /// <summary>The fill colour of nodes whose value is <paramref name="value"/>.</summary>
    public static SKColor BucketColor(float value) => ValueColor((Bucket(value) + 0.5f) / ColorBuckets);

    /// <summary>The node under screen point (<paramref name="x"/>, <paramref name="y"/>) in the last frame, or null.</summary>
    public long? NodeAt(float x, float y)
    {
        long? best = null;
        float bestD = float.MaxValue;
        foreach (var (id, nx, ny, rad) in NodeHits)
        {
            float d = (nx - x) * (nx - x) + (ny - y) * (ny - y);
            float reach = Math.Max(rad, 6) + 2;
            if (d <= reach * reach && d < bestD) { bestD = d; best = id; }
        }
        return best;
    }
}
