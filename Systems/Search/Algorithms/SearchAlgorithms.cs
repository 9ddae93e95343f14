namespace Sim.Systems.Search;

/// <summary>
/// The algorithms by command-line name, and how a scale B (an "attempt budget": B full attempts' worth of compute) maps
/// to each one's shape, so that <c>sim scale</c> compares them at equal budget:
/// <c>bon</c> and <c>vote</c> sample N = B trajectories; <c>beam</c> keeps b = max(1, B / w) trajectories with
/// w = min(4, B) samples each; <c>mcts</c> (expansion width min(4, B); <c>mcts-rollout</c> takes leaf values from
/// rollouts), <c>revise</c> and <c>hybrid</c> run until the budget is spent.
/// </summary>
public static class SearchAlgorithms
{
    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Names = ["bon", "vote", "beam", "mcts", "mcts-rollout", "revise", "hybrid"];

    /// <summary>The default guidance of each algorithm (external: the environment's verifier).</summary>
    public static Guidance DefaultGuidance(string name) => name == "vote" ? Guidance.Confidence : Guidance.Verifier;

    /// <summary>Parses a guidance name: <c>confidence</c>, <c>self-eval</c> (internal), <c>verifier</c>, <c>oracle</c>, <c>rm</c> (external).</summary>
    public static Guidance ParseGuidance(string text) => text.Trim().ToLowerInvariant() switch
    {
        "confidence" or "internal" => Guidance.Confidence,
        "self-eval" or "self_eval" or "selfeval" or "self" => Guidance.SelfEval,
        "verifier" or "external" => Guidance.Verifier,
        "oracle" => Guidance.Oracle,
        "rm" or "prm" or "orm" or "reward_model" => Guidance.RewardModel,
        _ => throw new FormatException($"unknown guidance '{text}'; known: confidence, self-eval, verifier, oracle, rm"),
    };

    /// <summary>Parses <c>--prm-agg</c>: <c>min</c>, <c>prod</c> (or <c>product</c>), <c>mean</c> or <c>last</c>.</summary>
    public static ScoreAggregation ParseAggregation(string text) => text.Trim().ToLowerInvariant() switch
    {
        "min" => ScoreAggregation.Min,
        "prod" or "product" => ScoreAggregation.Product,
        "mean" => ScoreAggregation.Mean,
        "last" => ScoreAggregation.Last,
        _ => throw new FormatException($"unknown --prm-agg '{text}'; known: min, prod, mean, last"),
    };

    /// <summary>The names of the ways a set of scored samples becomes one answer (<c>--select</c>).</summary>
    public static readonly IReadOnlyList<string> Selections = ["best", "weighted-vote"];

    /// <summary>
    /// Makes a factory of per-agent instances of algorithm <paramref name="name"/> at attempt budget <paramref name="scale"/>.
    /// <paramref name="aggregation"/> (<c>--prm-agg</c>) makes best-of-N, weighted voting and beam search score a
    /// trajectory by its aggregated step scores (a PRM) rather than its answer's (an ORM; beam search's default is min);
    /// <paramref name="select"/> (<c>--select</c>) turns best-of-N's pick into a vote weighted by the same scores.
    /// </summary>
    public static Func<SearchAlgorithm> Create(string name, int scale, Guidance? guidance = null, ScoreAggregation? aggregation = null, string select = "best")
    {
        if (scale < 1) throw new ArgumentException("the attempt budget must be >= 1");
        select = select.Trim().ToLowerInvariant();
        if (!Selections.Contains(select)) throw new FormatException($"unknown --select '{select}'; known: {string.Join(", ", Selections)}");
        string key = name.Trim().ToLowerInvariant();
        if (select != "best" && key != "bon") throw new FormatException($"--select {select} applies to bon, not {key}");
        if (aggregation is not null && key is not ("bon" or "vote" or "beam")) throw new FormatException($"--prm-agg applies to bon, vote and beam, not {key}");
        var g = guidance ?? DefaultGuidance(name);
        return key switch
        {
            "bon" when select == "weighted-vote" => () => new Voting(new VotingConfig(scale, VoteRule.Weighted, g, aggregation)),
            "bon" => () => new BestOfN(new BestOfNConfig(scale, g, aggregation)),
            "vote" => () => new Voting(guidance is null && aggregation is null
                ? new VotingConfig(scale)
                : new VotingConfig(scale, VoteRule.Weighted, g, aggregation)),
            "beam" => () =>
            {
                int w = Math.Min(4, scale);
                return new BeamSearch(new BeamSearchConfig(Math.Max(1, scale / w), w, g, aggregation ?? ScoreAggregation.Min));
            },
            "mcts" => () => new Mcts(new MctsConfig(ExpandWidth: Math.Min(4, scale), Guidance: g)),
            "mcts-rollout" => () => new Mcts(new MctsConfig(ExpandWidth: Math.Min(4, scale), Guidance: g, Rollouts: true)),
            "revise" => () => new SequentialRevision(new RevisionConfig(g)),
            "hybrid" => () => new Hybrid(new HybridConfig(0.5, new MctsConfig(ExpandWidth: Math.Min(4, scale), Guidance: g), new RevisionConfig(g))),
            _ => throw new ArgumentException($"unknown search '{name}'; known: {string.Join(", ", Names)}"),
        };
    }
}
