using Sim.Agents.Policies;
using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>How votes are counted.</summary>
public enum VoteRule : byte
{
    /// <summary>Self-consistency: each trajectory's answer gets one vote.</summary>
    Majority = 0,

    /// <summary>Each answer gets the sum of its trajectories' scores under the guidance (e.g. ORM-weighted).</summary>
    Weighted = 1,
}

/// <summary>Voting settings.</summary>
/// <param name="N">Independent trajectories sampled.</param>
/// <param name="Rule">Majority (self-consistency) or reward-weighted.</param>
/// <param name="Guidance">The weight of a trajectory for <see cref="VoteRule.Weighted"/> (ignored by majority).</param>
/// <param name="Aggregation">As in <see cref="BestOfNConfig.Aggregation"/>, for the weights.</param>
public sealed record VotingConfig(int N = 8, VoteRule Rule = VoteRule.Majority, Guidance Guidance = Guidance.Confidence, ScoreAggregation? Aggregation = null);

/// <summary>
/// Voting: sample N independent trajectories and answer with the answer most of them reach (self-consistency, Wang et
/// al. 2022) or the one with the largest total score (reward-weighted). Answers are compared after
/// <see cref="StepProtocol.AnswerKey"/> normalisation. Ties are broken uniformly at random from the episode's seeded stream.
/// <para>Closed form (tested): if each trajectory's answer is correct with probability p and otherwise one of m wrong
/// answers with probability (1 − p)/m each, majority vote over N is correct with probability
/// Σ over count vectors (c₀, c₁…c_m) of Multinomial(N; p, (1−p)/m…) · [c₀ = max] / #(argmax).</para>
/// </summary>
public sealed class Voting(VotingConfig config) : SearchAlgorithm
{
    private readonly ChainSampler _chains = new();

    /// <summary>The settings.</summary>
    public VotingConfig Config { get; } = config.N >= 1 ? config : throw new ArgumentException("voting needs N >= 1");

    /// <inheritdoc />
    public override string Name => "vote";

    /// <inheritdoc />
    public override Guidance Guidance => Config.Rule == VoteRule.Majority ? Guidance.Confidence : Config.Guidance;

    /// <inheritdoc />
    public override string SignalName => Config.Rule == VoteRule.Majority ? "majority" : "weighted-" + GuidanceName(Config.Guidance);

    /// <inheritdoc />
    public override bool SelfEvaluates(NodeKind kind) =>
        Config.Rule == VoteRule.Weighted && Guidance == Guidance.SelfEval && (kind == NodeKind.Answer || (Config.Aggregation is not null && kind == NodeKind.Step));

    /// <inheritdoc />
    public override bool UsesVerifier => Config.Rule == VoteRule.Weighted && base.UsesVerifier;

    /// <inheritdoc />
    public override bool UsesRewardModel => Config.Rule == VoteRule.Weighted && base.UsesRewardModel;

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
    public override int Choose(SearchAgent agent)
    {
        var tree = agent.Tree;
        var nodes = new List<int>();
        var keys = new List<string>();
        var weights = new List<double>();
        foreach (int c in _chains.Finished)
        {
            if (tree[c].AnswerText is not { } text) continue;
            nodes.Add(c);
            keys.Add(StepProtocol.AnswerKey(text));
            weights.Add(Config.Rule == VoteRule.Majority ? 1 : PathScore(tree, c, Config.Guidance, Config.Aggregation));
        }
        if (nodes.Count == 0) return -1;
        var rng = new Rng(StableHash.Combine(agent.EpisodeSeed, 0x766F7465UL));
        return nodes[Vote(keys, weights, ref rng)];
    }

    /// <summary>
    /// The index of a candidate carrying the winning answer: the answer with the largest total weight; ties between
    /// answers are broken uniformly at random with <paramref name="rng"/>. Returns the first candidate with that answer.
    /// </summary>
    public static int Vote(IReadOnlyList<string> keys, IReadOnlyList<double> weights, ref Rng rng)
    {
        if (keys.Count == 0) throw new ArgumentException("no candidates");
        var totals = new Dictionary<string, (double Weight, int First)>(StringComparer.Ordinal);
        var order = new List<string>();
        for (int i = 0; i < keys.Count; i++)
        {
            if (totals.TryGetValue(keys[i], out var t)) totals[keys[i]] = (t.Weight + weights[i], t.First);
            else { totals[keys[i]] = (weights[i], i); order.Add(keys[i]); }
        }
        double best = order.Max(k => totals[k].Weight);
        var tied = order.Where(k => totals[k].Weight >= best - 1e-12).ToList();
        string winner = tied.Count == 1 ? tied[0] : tied[rng.NextInt(tied.Count)];
        return totals[winner].First;
    }
}
