using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// How a search reads the tick's reward components. <see cref="Fold"/> (in <c>search.backup</c>, before the
/// algorithm's backup) writes them onto the tree's nodes, the search's own statistics: the verifier's or judge's
/// reward into <see cref="SearchNode.Reward"/> (and the gold reward into <see cref="SearchNode.Gold"/>), a reward
/// model's into <see cref="SearchNode.ModelScore"/>, a self-evaluation into <see cref="SearchNode.SelfScore"/>, and
/// shaping added to <see cref="SearchNode.Reward"/>. No other path writes rewards into a tree.
/// </summary>
public static class SearchRewards
{
    /// <summary>
    /// Folds this tick's <paramref name="process"/> and <paramref name="outcome"/> rewards into the agent's tree:
    /// first every set value, in the order given; then the tick's new thoughts and corrections, which are not verified,
    /// take their parent's reward (in creation order, so a chain of them inherits along it); then shaping terms are
    /// added to the nodes they name.
    /// </summary>
    public static void Fold(SearchAgent agent, ProcessRewards process, OutcomeRewards outcome)
    {
        var tree = agent.Tree;
        bool shaped = false;
        foreach (ref readonly var r in process.Span)
        {
            ref var n = ref tree[r.Node];
            switch (r.Source)
            {
                case RewardSource.Verifier or RewardSource.Judge: n.Reward = r.Value; break;
                case RewardSource.RewardModel: n.ModelScore = r.Value; break;
                case RewardSource.SelfEval: n.SelfScore = Math.Clamp(r.Value, 0, 1); break;
                default: shaped = true; break;
            }
        }
        foreach (ref readonly var r in outcome.Span)
        {
            ref var n = ref tree[r.Node];
            switch (r.Source)
            {
                case RewardSource.Verifier or RewardSource.Judge: n.Reward = r.Value; n.Gold = r.Gold; break;
                case RewardSource.RewardModel: n.ModelScore = r.Value; break;
                case RewardSource.SelfEval: n.SelfScore = Math.Clamp(r.Value, 0, 1); break;
                default: shaped = true; break;
            }
        }
        foreach (int id in agent.Fresh)
        {
            ref var n = ref tree[id];
            if (n.Kind is NodeKind.Thought or NodeKind.Correction) n.Reward = tree[n.Parent].Reward;
        }
        if (!shaped) return;
        foreach (ref readonly var r in process.Span)
            if (r.Source == RewardSource.Shaping) tree[r.Node].Reward += r.Value;
        foreach (ref readonly var r in outcome.Span)
            if (r.Source == RewardSource.Shaping) tree[r.Node].Reward += r.Value;
    }

    /// <summary>
    /// The environment's reward for <paramref name="node"/> before this tick's rewards are folded in: this tick's
    /// verifier (or judge) reward for a new step or answer, the parent's for a thought or correction, the tree's value
    /// for an older node.
    /// </summary>
    public static double EnvironmentReward(SearchTree tree, int node, ProcessRewards process, OutcomeRewards outcome)
    {
        while (tree[node].Kind is NodeKind.Thought or NodeKind.Correction && tree[node].Parent >= 0) node = tree[node].Parent;
        foreach (ref readonly var r in process.Span)
            if (r.Node == node && r.Source is RewardSource.Verifier or RewardSource.Judge) return r.Value;
        foreach (ref readonly var r in outcome.Span)
            if (r.Node == node && r.Source is RewardSource.Verifier or RewardSource.Judge) return r.Value;
        return tree[node].Reward;
    }

    /// <summary>
    /// The environment's exact label of <paramref name="node"/> in [0, 1] (what <see cref="Guidance.Oracle"/> reads):
    /// 1 or 0 for a complete node by its grade, 0 for a refuted step, 1 or 0 where solvability is known, otherwise the
    /// environment's reward. For simulated reward models, which stand in for a model trained on such labels.
    /// </summary>
    public static double ExactLabel(SearchTree tree, int node, ProcessRewards process, OutcomeRewards outcome)
    {
        ref var n = ref tree[node];
        if (n.Complete) return n.Correct ? 1 : 0;
        if (n.Verdict != VerdictKind.Ok) return 0;
        return n.Solvable switch
        {
            Solvability.Yes => 1,
            Solvability.No => 0,
            _ => EnvironmentReward(tree, node, process, outcome),
        };
    }
}
