using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// A search algorithm's per-agent state and decisions. The search systems call, for every agent each tick:
/// <see cref="Select"/> in <c>search.select</c> (queue expansions with <see cref="SearchAgent.Request"/>), then, after
/// the policy, environment and reward-model stages have made, verified and scored the new nodes,
/// <see cref="Backup"/> in <c>search.backup</c> (update statistics, and call <see cref="SearchAgent.Commit"/> when done).
/// When an agent's budget runs out the systems call <see cref="Choose"/> and commit its answer.
/// One instance serves one agent, reused across its episodes (<see cref="Begin"/> resets it).
/// </summary>
public abstract class SearchAlgorithm
{
    /// <summary>The short name used on the command line (<c>bon</c>, <c>mcts</c>...).</summary>
    public abstract string Name { get; }

    /// <summary>The guidance that drives the search's decisions.</summary>
    public abstract Guidance Guidance { get; }

    /// <summary>How reports name the search's signal: the guidance, lower case (voting says <c>majority</c>).</summary>
    public virtual string SignalName => GuidanceName(Guidance);

    /// <summary>A guidance's name as the command line writes it (<c>confidence</c>, <c>verifier</c>, <c>oracle</c>,
    /// <c>rm</c>... <c>self-eval</c>), except that the reward model reports as <c>rewardmodel</c> as it always has.</summary>
    public static string GuidanceName(Guidance guidance) => guidance == Guidance.SelfEval ? "self-eval" : guidance.ToString().ToLowerInvariant();

    /// <summary>True when the search reads the environment verifier (its checks are charged to the ledger).</summary>
    public virtual bool UsesVerifier => Guidance is Guidance.Verifier or Guidance.Oracle;

    /// <summary>True when the search reads the verifier's verdict on nodes of <paramref name="kind"/> (so it is charged).</summary>
    public virtual bool ReadsVerifier(NodeKind kind) => UsesVerifier;

    /// <summary>True when new nodes must be scored by the reward model (charged to the ledger).</summary>
    public virtual bool UsesRewardModel => Guidance == Guidance.RewardModel;

    /// <summary>
    /// True when the search has the policy judge its new lines of <paramref name="kind"/> (self-evaluation, charged to
    /// the ledger as policy calls and tokens): steps and answers under <see cref="Guidance.SelfEval"/>.
    /// </summary>
    public virtual bool SelfEvaluates(NodeKind kind) => Guidance == Guidance.SelfEval && kind is NodeKind.Step or NodeKind.Answer;

    /// <summary>True when a zero signal means the guidance rejected the line (a verifier, the oracle, or a self-evaluation
    /// that is sure the line is wrong), so it is a dead end rather than a low score.</summary>
    public bool RejectsOnZero => UsesVerifier || Guidance == Guidance.SelfEval;

    /// <summary>
    /// True when the guidance accepts the complete node as a right answer, which ends the search: the verifier says it is
    /// correct (external guidance), or the policy's self-evaluation says "yes" (above ½). Other guidance accepts nothing.
    /// </summary>
    public bool Accepts(SearchTree tree, int node)
    {
        ref var n = ref tree[node];
        if (!n.Complete || n.AnswerText is null) return false;
        if (UsesVerifier) return n.Correct;
        return Guidance == Guidance.SelfEval && n.SelfScore > 0.5;
    }

    /// <summary>Resets the per-episode state; the tree already holds the root.</summary>
    public abstract void Begin(SearchAgent agent);

    /// <summary>Queues this tick's expansions.</summary>
    public abstract void Select(SearchAgent agent);

    /// <summary>Reads this tick's new nodes (<see cref="SearchAgent.NewNodes"/>); commits when finished.</summary>
    public abstract void Backup(SearchAgent agent);

    /// <summary>The complete node to commit when the budget runs out, or -1 for none.</summary>
    public abstract int Choose(SearchAgent agent);

    /// <summary>
    /// The guidance signal of one node in [0, 1] (higher is better): the policy's confidence or its self-evaluation (internal); the process
    /// reward of a step or the outcome of an answer (verifier); exact solvability where known (oracle); the reward
    /// model's score (reward model).
    /// </summary>
    public static double NodeSignal(SearchTree tree, int node, Guidance guidance)
    {
        ref var n = ref tree[node];
        switch (guidance)
        {
            case Guidance.Confidence:
                return n.Confidence;
            case Guidance.Oracle:
                if (n.Complete) return n.Correct ? 1 : 0;
                if (n.Verdict != VerdictKind.Ok) return 0;
                return n.Solvable switch { Solvability.Yes => 1, Solvability.No => 0, _ => n.Reward };
            case Guidance.RewardModel:
                return double.IsNaN(n.ModelScore) ? 0 : n.ModelScore;
            case Guidance.SelfEval:
                // Thoughts and corrections are not judged: they carry the judgement of the line they follow.
                while (double.IsNaN(tree[node].SelfScore) && tree[node].Parent >= 0 && tree[node].Kind is NodeKind.Thought or NodeKind.Correction)
                    node = tree[node].Parent;
                return double.IsNaN(tree[node].SelfScore) ? 0 : tree[node].SelfScore;
            default:
                if (n.Complete) return n.Correct ? 1 : n.Reward;
                return n.Kind is NodeKind.Thought or NodeKind.Correction ? tree[Math.Max(n.Parent, 0)].Reward : n.Reward;
        }
    }

    /// <summary>
    /// A path's score under <paramref name="guidance"/>: for external guidance on a complete node, its outcome signal
    /// alone (an ORM or verifier judges the answer) unless <paramref name="aggregation"/> asks for step scores (a PRM);
    /// for confidence, the aggregated per-line confidence (product by default: the sequence probability).
    /// </summary>
    public static double PathScore(SearchTree tree, int node, Guidance guidance, ScoreAggregation? aggregation)
    {
        if (aggregation is null)
        {
            if (guidance == Guidance.Confidence) return tree.Aggregate(node, ScoreAggregation.Product, n => tree[n].Confidence);
            return NodeSignal(tree, node, guidance);
        }
        return tree.Aggregate(node, aggregation.Value, n => NodeSignal(tree, n, guidance));
    }
}
