using Sim.Replay;
using SkiaSharp;

namespace Sim.Viewer;

/// <summary>
/// What the viewer shows and the user's choices: the replay, the current tick, playback, the selected agent and node,
/// and the tree view's pan and zoom. Drawing (<see cref="FrameRenderer"/>) reads it; input handling changes it.
/// </summary>
public sealed class ViewerModel
{
    private TreeLayout? _layout;
    private (int Agent, long Tick) _layoutKey = (-1, -1);

    /// <summary>Opens a model over <paramref name="reader"/> at its first tick.</summary>
    public ViewerModel(ReplayReader reader)
    {
        Reader = reader;
        Cursor = new ReplayCursor(reader);
        Seek(reader.FirstTick);
        try { Charts = ChartSeries.Load(reader); }
        catch (ReplayFormatException ex)
        {
            Charts = new ChartSeries();
            Error = $"charts unavailable: {ex.Message}";
        }
    }

    /// <summary>The replay.</summary>
    public ReplayReader Reader { get; }

    /// <summary>Moves through the replay.</summary>
    public ReplayCursor Cursor { get; }

    /// <summary>The state at <see cref="Tick"/>.</summary>
    public ReplayState State => Cursor.State;

    /// <summary>Chart data.</summary>
    public ChartSeries Charts { get; }

    /// <summary>Current tick.</summary>
    public long Tick => Cursor.Tick;

    /// <summary>True while playing.</summary>
    public bool Playing { get; set; }

    /// <summary>Playback speed in ticks per second.</summary>
    public double Speed { get; set; } = 30;

    /// <summary>The agent whose tree is shown, or null for the first agent that has one.</summary>
    public int? SelectedAgent { get; set; }

    /// <summary>The clicked node, or null.</summary>
    public long? SelectedNode { get; set; }

    /// <summary>Tree view zoom (1 = fit).</summary>
    public float Zoom { get; set; } = 1;

    /// <summary>Tree view pan in pixels.</summary>
    public SKPoint Pan { get; set; }

    /// <summary>Last error to show in the status bar (a corrupt chunk, say), or null.</summary>
    public string? Error { get; set; }

    private double _playAccumulator;

    /// <summary>Moves to <paramref name="tick"/>; a corrupt chunk is shown as an error rather than thrown.</summary>
    public void Seek(long tick)
    {
        try
        {
            Cursor.Seek(tick);
            Error = null;
        }
        catch (ReplayFormatException ex)
        {
            Error = ex.Message;
            Playing = false;
        }
    }

    /// <summary>Advances playback by <paramref name="seconds"/> of wall time.</summary>
    public void Update(double seconds)
    {
        if (!Playing) return;
        _playAccumulator += seconds * Speed;
        long steps = (long)_playAccumulator;
        if (steps <= 0) return;
        _playAccumulator -= steps;
        long next = Tick + steps;
        if (next >= Reader.LastTick) { next = Reader.LastTick; Playing = false; }
        Seek(next);
    }

    /// <summary>Steps one recorded tick forward or back.</summary>
    public void Step(int direction) => Seek(Tick + direction);

    /// <summary>The agent whose tree is shown (the selected one, else the lowest id with a tree), or null.</summary>
    public int? TreeAgent => SelectedAgent is int a && State.Trees.ContainsKey(a) ? a
        : SelectedAgent ?? (State.Trees.Count > 0 ? State.Trees.Keys.Min() : null);

    /// <summary>The shown tree, or null.</summary>
    public Dictionary<long, TreeNodeState>? Tree => TreeAgent is int a && State.Trees.TryGetValue(a, out var t) ? t : null;

    /// <summary>The layout of the shown tree, cached per agent and tick.</summary>
    public TreeLayout? Layout
    {
        get
        {
            var tree = Tree;
            if (tree is null) return null;
            var key = (TreeAgent!.Value, Tick);
            if (_layout is null || _layoutKey != key) { _layout = new TreeLayout(tree); _layoutKey = key; }
            return _layout;
        }
    }
}
