namespace Sim.Systems.Search;

/// <summary>Where an agent is in its life of episodes (<see cref="AgentEpisode.Status"/>).</summary>
public enum EpisodeStatus : byte
{
    /// <summary>Never had a task: the run had none for it yet.</summary>
    None,
    /// <summary>The episodes stage gave it a task; <c>search.select</c> starts it next tick (its old tree, if any,
    /// is still shown).</summary>
    Assigned,
    /// <summary>Searching.</summary>
    Running,
    /// <summary>Committed an answer (or gave up) this tick; the episodes stage has not counted it yet.</summary>
    Finished,
    /// <summary>Finished and counted; waiting for its next task.</summary>
    Ended,
    /// <summary>The run has no task left for it: it stays idle.</summary>
    Retired,
}
