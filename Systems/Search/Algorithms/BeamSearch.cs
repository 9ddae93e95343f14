namespace Sim.Systems.Search;

/// <summary>Beam-search settings.</summary>
/// <param name="BeamWidth">Partial trajectories kept at each depth (b).</param>
/// <param name="ExpandWidth">Lines sampled from each kept trajectory (w); identical lines are merged.</param>
/// <param name="Guidance">What ranks partial trajectories: PRM scores, the verifier's process rewards, the oracle's exact
/// step values, or the policy's confidence.</param>
/// <param name="Aggregation">How step scores along a trajectory combine into its rank.</param>
public sealed record BeamSearchConfig(int BeamWidth = 4, int ExpandWidth = 4, Guidance Guidance = Guidance.Verifier, ScoreAggregation Aggregation = ScoreAggregation.Min);

/// <summary>
/// Step-level beam search (as in OpenR and Snell et al. 2024): keep the b best partial trajectories; each tick, sample
/// w next lines for each, score the children, and keep the b best children. Trajectories that end go to a finished
/// pool; the search stops when an external verifier confirms a finished answer, when the budget is spent, or when the
/// beam is empty (with an external verifier that rejected every answer, the last beam is sampled again while budget
/// remains), and answers with the best finished trajectory.
/// </summary>
public sealed class BeamSearch(BeamSearchConfig config) : SearchAlgorithm
{
    private readonly List<int> _beam = new();
    private readonly List<int> _previous = new();
    private readonly List<int> _finished = new();
    private readonly List<(double Score, int Node)> _scored = new();

    /// <summary>The settings.</summary>
    public BeamSearchConfig Config { get; } = config.BeamWidth >= 1 && config.ExpandWidth >= 1 ? config
        : throw new ArgumentException("beam search needs BeamWidth >= 1 and ExpandWidth >= 1");

    /// <inheritdoc />
    public override string Name => "beam";

    /// <inheritdoc />
    public override Guidance Guidance => Config.Guidance;

    /// <inheritdoc />
    public override void Begin(SearchAgent agent)
    {
        _beam.Clear();
        _previous.Clear();
        _finished.Clear();
        _beam.Add(0);
    }

    /// <inheritdoc />
    public override void Select(SearchAgent agent)
    {
        foreach (int node in _beam) agent.Request(node, agent.Affordable(Config.ExpandWidth), merge: true);
    }

    /// <inheritdoc />
    public override void Backup(SearchAgent agent)
    {
        var tree = agent.Tree;
        _scored.Clear();
        foreach (int node in agent.Fresh)
        {
            if (tree[node].Complete)
            {
                _finished.Add(node);
                // A verifier (or the policy's own self-evaluation) that accepts an answer ends the search.
                if (Accepts(tree, node)) { agent.Commit(node); return; }
            }
            // A step an external verifier (or a sure self-evaluation) rejected (signal 0) is a dead end: it never enters
            // the beam. When every child is rejected, the beam empties and its parents are sampled again below.
            else if (!(RejectsOnZero && NodeSignal(tree, node, Config.Guidance) <= 0))
                _scored.Add((PathScore(tree, node, Config.Guidance, Config.Aggregation), node));
        }
        // Best first; equal scores keep creation order, so the search is deterministic.
        _scored.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Node.CompareTo(b.Node));
        _previous.Clear();
        _previous.AddRange(_beam);
        _beam.Clear();
        for (int i = 0; i < _scored.Count && _beam.Count < Config.BeamWidth; i++) _beam.Add(_scored[i].Node);
        if (_beam.Count > 0) return;
        // Every trajectory has ended. An external verifier has rejected them all, so while budget remains, sample the
        // last beam again; otherwise answer with the best finished trajectory.
        if (RejectsOnZero && agent.HasBudget && _previous.Count > 0) _beam.AddRange(_previous);
        else agent.Commit(Choose(agent));
    }

    /// <inheritdoc />
    public override int Choose(SearchAgent agent) => BestOfN.Pick(agent.Tree, _finished, Config.Guidance, Config.Aggregation);
}
