using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// The component of an agent's episode: which agent it is, its task and seed, its status, and once it has committed,
/// the answer node and its outcome (graded by the answer verifier, rewarded by the environment's outcome reward).
/// Written by the episodes stage (assignment, counting), <c>search.select</c> (start) and the search (commit).
/// </summary>
public struct AgentEpisode : IStateHashable
{
    /// <summary>The agent's index in the run (0-based, stable; entity order).</summary>
    public int Agent;

    /// <summary>Where the agent is in its episodes.</summary>
    public EpisodeStatus Status;

    /// <summary>The current (or last) task; null before the first.</summary>
    public Problem? Problem;

    /// <summary>The seed of the current episode (keys every policy draw of the episode).</summary>
    public ulong Seed;

    /// <summary>Episodes started.</summary>
    public int Count;

    /// <summary>The tick the episode started on.</summary>
    public long StartTick;

    /// <summary>The committed answer node, or -1 when the agent gave no answer (or has not committed).</summary>
    public int FinalNode;

    /// <summary>True when the committed answer is correct.</summary>
    public bool Solved;

    /// <summary>The committed answer's outcome reward (the judge's score on <c>judge</c>); 0 without an answer.</summary>
    public double Reward;

    /// <summary>The committed answer's gold reward where its reward is a proxy; NaN otherwise.</summary>
    public double Gold;

    /// <summary>Verdicts in this episode that were the environment's own failures (<see cref="VerdictKind.EnvironmentError"/>).</summary>
    public int Faults;

    /// <summary>The task the episodes stage assigned, started at the next <c>search.select</c>.</summary>
    internal EpisodeTask Next;

    /// <summary>The replay must clear this agent's tree when its next episode starts (only a recorded run has one).
    /// A reader applies a tick's clears before its node records, so clearing in the tick that also carries the
    /// finished tree's chosen path would mix the two trees.</summary>
    internal bool ClearPending;

    /// <summary>True while the agent is searching.</summary>
    public readonly bool Running => Status == EpisodeStatus.Running;

    /// <summary>A new agent with index <paramref name="agent"/>.</summary>
    public static AgentEpisode For(int agent) => new() { Agent = agent, FinalNode = -1, Gold = double.NaN };

    /// <inheritdoc />
    public readonly void AppendHash(ref StateHasher hasher)
    {
        hasher.Add(Agent);
        hasher.Add((int)Status);
        hasher.Add(Problem?.Id);
        hasher.Add(Seed);
        hasher.Add(Count);
        hasher.Add(StartTick);
        hasher.Add(FinalNode);
        hasher.Add(Solved ? 1 : 0);
        hasher.Add(Reward);
    }
}
