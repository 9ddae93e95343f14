using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// The ECS component of an agent entity: its <see cref="SearchAgent"/> (task, tree, algorithm, ledger, status). Its
/// state hash covers the episode, the ledger in every unit but wall time, the committed answer and every tree node's
/// line, verdict and statistics, so <c>world.StateHash()</c> proves two runs searched identically.
/// </summary>
/// <param name="Agent">The agent.</param>
public record struct AgentComponent(SearchAgent Agent) : IStateHashable
{
    /// <inheritdoc />
    public readonly void AppendHash(ref StateHasher hasher)
    {
        var a = Agent;
        hasher.Add(a.Index);
        hasher.Add(a.Episodes);
        hasher.Add(a.EpisodeSeed);
        hasher.Add(a.Problem?.Id);
        hasher.Add(a.Done ? 1 : 0);
        hasher.Add(a.FinalNode);
        hasher.Add(a.Ledger.Tokens);
        hasher.Add(a.Ledger.PolicyCalls);
        hasher.Add(a.Ledger.RewardModelCalls);
        hasher.Add(a.Ledger.VerifierCalls);
        var tree = a.Tree;
        hasher.Add(tree.Count);
        for (int i = 0; i < tree.Count; i++)
        {
            ref var n = ref tree[i];
            hasher.Add(n.Parent);
            hasher.Add(n.Text);
            hasher.Add((int)n.Verdict);
            hasher.Add(n.Visits);
            hasher.Add(n.ValueSum);
            hasher.Add(n.Prior);
            hasher.Add(n.ModelScore);
            hasher.Add(n.SelfScore);
        }
    }
}
