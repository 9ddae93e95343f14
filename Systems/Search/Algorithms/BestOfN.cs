namespace Sim.Systems.Search;

/// <summary>Best-of-N settings.</summary>
/// <param name="N">Independent trajectories sampled.</param>
/// <param name="Guidance">What picks the winner: <see cref="Guidance.Verifier"/> (or <see cref="Guidance.Oracle"/>):
/// the answer verifier's outcome; <see cref="Guidance.RewardModel"/>: the ORM score of the answer, or with
/// <paramref name="Aggregation"/> the PRM step scores aggregated; <see cref="Guidance.Confidence"/>: the policy's own
/// confidence, multiplied over the lines (the sequence probability) unless <paramref name="Aggregation"/> says otherwise.</param>
/// <param name="Aggregation">Null: score the answer (ORM, outcome) or the sequence probability (confidence).
/// Set: aggregate per-step scores along the trajectory (PRM-style: min, last, product or mean).</param>
public sealed record BestOfNConfig(int N = 8, Guidance Guidance = Guidance.Verifier, ScoreAggregation? Aggregation = null);

/// <summary>
/// Best-of-N: sample N independent trajectories, then pick the one the guidance scores highest (ties go to the one
/// that finished first). With an exact verifier and a policy that solves a problem with probability p per attempt, it
/// solves 1 − (1 − p)^N of problems (tested). All N are always sampled, as in the usual definition; the budget caps N.
/// </summary>
public sealed class BestOfN(BestOfNConfig config) : SearchAlgorithm
{
    private readonly ChainSampler _chains = new();

    /// <summary>The settings.</summary>
    public BestOfNConfig Config { get; } = config.N >= 1 ? config : throw new ArgumentException("best-of-N needs N >= 1");

    /// <inheritdoc />
    public override string Name => "bon";

    /// <inheritdoc />
    public override Guidance Guidance => Config.Guidance;

    /// <inheritdoc />
    public override bool ReadsVerifier(NodeKind kind) =>
        UsesVerifier && (kind == NodeKind.Answer || Config.Aggregation is not null);

    /// <inheritdoc />
    public override bool SelfEvaluates(NodeKind kind) =>
        Guidance == Guidance.SelfEval && (kind == NodeKind.Answer || (Config.Aggregation is not null && kind == NodeKind.Step));

    /// <inheritdoc />
    public override void Begin(SearchAgent agent) => _chains.Begin();

    /// <inheritdoc />
    public override void Select(SearchAgent agent) => _chains.Select(agent, Config.N);

    /// <inheritdoc />
    public override void Backup(SearchAgent agent)
    {
        _chains.Backup(agent);
        if (_chains.AllDone) agent.Commit(Choose(agent));
    }

    /// <inheritdoc />
    public override int Choose(SearchAgent agent) => Pick(agent.Tree, _chains.Finished, Config.Guidance, Config.Aggregation);

    /// <summary>The candidate with the highest score (the first among equals), or -1 when there is none.</summary>
    public static int Pick(SearchTree tree, IReadOnlyList<int> candidates, Guidance guidance, ScoreAggregation? aggregation)
    {
        int best = -1;
        double bestScore = double.NegativeInfinity;
        foreach (int c in candidates)
        {
            if (tree[c].AnswerText is null) continue; // ran past the depth limit: nothing to submit
            double s = PathScore(tree, c, guidance, aggregation);
            if (s > bestScore) { best = c; bestScore = s; }
        }
        return best;
    }
}
