using Sim.Agents.Policies;

namespace Sim.Systems.Search;

/// <summary>
/// An agent's buffers for one tick's work, held by its <see cref="TickWork"/> component and touched by one thread at a
/// time: <c>search.select</c> queues requests and builds their policy contexts, <c>policy</c> batches them,
/// <c>environments</c> collects the proposals and makes nodes, <c>search.backup</c> reads the new nodes.
/// </summary>
public sealed class AgentWork
{
    /// <summary>This tick's expansion requests.</summary>
    internal readonly List<Expansion> Requests = new();

    /// <summary>The policy context of each request, built on the agent's own core.</summary>
    internal readonly List<PolicyContext> Contexts = new();

    /// <summary>Where each request's proposals are in this tick's policy batches (filled by the policy stage, read by
    /// the environments stage).</summary>
    internal readonly List<(PolicySystem.Batch Batch, int Index)> Slots = new();

    /// <summary>The proposals, in request order.</summary>
    internal readonly List<ProposedStep> Proposed = new();

    /// <summary>The nodes made this tick, in creation order.</summary>
    public List<int> Fresh { get; } = new();

    /// <summary>Existing nodes whose statistics changed this tick other than through this tick's new nodes
    /// (<see cref="SearchAgent.Touch"/>).</summary>
    internal readonly List<int> Touched = new();

    /// <summary>The verdict table of the current problem (looked up once per episode), and this tick's cache lookups,
    /// added to the shared counters once per tick.</summary>
    internal VerdictCache.Table? VerdictTable;

    internal int CacheHits, CacheMisses;

    /// <summary>This tick's verdicts that were the environment's own failures (<see cref="Environments.VerdictKind.EnvironmentError"/>),
    /// and the first one's reason.</summary>
    internal int EnvironmentErrors;
    internal string? EnvironmentError;

    /// <summary>When the run is recorded: the completion of the episode this agent finished this tick, made on its own
    /// core in the backup pass; the episodes stage makes the episode record, in agent order.</summary>
    internal string? Completion;

    /// <summary>Empties the per-tick lists (not the episode's verdict table).</summary>
    internal void ClearTick()
    {
        Fresh.Clear();
        Touched.Clear();
        Proposed.Clear();
        EnvironmentErrors = 0;
        EnvironmentError = null;
    }

    /// <summary>A request for children of a node.</summary>
    internal readonly record struct Expansion(int Node, int K, bool Merge, int Ordinal);
}
