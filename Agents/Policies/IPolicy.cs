namespace Sim.Agents.Policies;

/// <summary>
/// Proposes next reasoning lines, batch first: one call serves every agent that needs a proposal in a tick.
/// <para><b>Contract.</b> For <c>contexts.Count = n</c> and <c>k</c> samples, <c>output</c> has
/// length <c>n·k</c> and receives K proposals for context 0, then K for context 1, and so on. The same contexts, k and
/// <c>seed</c> give the same proposals. Implementations are thread-safe for concurrent calls.</para>
/// </summary>
public interface IPolicy
{
    /// <summary>A short name for reports.</summary>
    string Name { get; }

    /// <summary>Fills <c>output</c> with <c>k</c> proposals per context.</summary>
    void Propose(IReadOnlyList<PolicyContext> contexts, int k, ProposedStep[] output, ulong seed);
}
