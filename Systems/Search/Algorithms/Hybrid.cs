namespace Sim.Systems.Search;

/// <summary>Hybrid settings.</summary>
/// <param name="TreeFraction">The share of the budget spent on tree search before switching to revision, in (0, 1].</param>
/// <param name="Tree">The tree search's settings.</param>
/// <param name="Revision">The revision phase's settings.</param>
public sealed record HybridConfig(double TreeFraction = 0.5, MctsConfig? Tree = null, RevisionConfig? Revision = null);

/// <summary>
/// Hybrid search: MCTS until <see cref="HybridConfig.TreeFraction"/> of the budget is spent (or it finds a verified
/// answer), then sequential revision starting from the end of MCTS's principal variation, keeping its prefix. The
/// answer is the revision's, or MCTS's best when revision finds nothing better.
/// </summary>
public sealed class Hybrid : SearchAlgorithm
{
    private readonly Mcts _tree;
    private readonly SequentialRevision _revise;
    private bool _revising;

    /// <summary>Makes the search.</summary>
    public Hybrid(HybridConfig config)
    {
        if (!(config.TreeFraction > 0 && config.TreeFraction <= 1)) throw new ArgumentException("TreeFraction must be in (0, 1]");
        Config = config;
        _tree = new Mcts(config.Tree ?? new MctsConfig(Guidance: Guidance.Verifier));
        _revise = new SequentialRevision(config.Revision ?? new RevisionConfig(_tree.Guidance));
    }

    /// <summary>The settings.</summary>
    public HybridConfig Config { get; }

    /// <inheritdoc />
    public override string Name => "hybrid";

    /// <inheritdoc />
    public override Guidance Guidance => _revising ? _revise.Guidance : _tree.Guidance;

    /// <inheritdoc />
    public override bool ReadsVerifier(NodeKind kind) => _revising ? _revise.ReadsVerifier(kind) : _tree.ReadsVerifier(kind);

    /// <inheritdoc />
    public override bool UsesRewardModel => _tree.UsesRewardModel || _revise.UsesRewardModel;

    /// <inheritdoc />
    public override void Begin(SearchAgent agent)
    {
        _revising = false;
        _tree.Begin(agent);
        _revise.Begin(agent);
    }

    /// <inheritdoc />
    public override void Select(SearchAgent agent)
    {
        if (!_revising && agent.Budget.Fraction(agent.Ledger) >= Config.TreeFraction)
        {
            _revising = true;
            int best = _tree.Choose(agent);
            bool vouched = best >= 0 && (UsesExternal ? agent.Tree[best].Correct : _tree.Accepts(agent.Tree, best));
            _revise.StartFrom(agent, vouched ? best : Mcts.PrincipalLeaf(agent.Tree));
        }
        if (_revising) _revise.Select(agent);
        else _tree.Select(agent);
    }

    // Revision starts from MCTS's accepted answer when it has one the guidance can vouch for: verified (external), or
    // accepted by the policy's own check (self-evaluation); otherwise from the principal variation.
    private bool UsesExternal => _tree.Guidance is Guidance.Verifier or Guidance.Oracle;

    /// <inheritdoc />
    public override void Backup(SearchAgent agent)
    {
        if (_revising) _revise.Backup(agent);
        else _tree.Backup(agent);
    }

    /// <inheritdoc />
    public override int Choose(SearchAgent agent)
    {
        int r = _revising ? _revise.Choose(agent) : -1;
        return r >= 0 ? r : _tree.Choose(agent);
    }
}
