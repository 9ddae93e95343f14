namespace Sim.Agents.Learning;

/// <summary>How the learning stage uses experience.</summary>
public enum BufferMode
{
    /// <summary>Each batch is used once: the learner takes everything gathered since its last update.</summary>
    OnPolicy,

    /// <summary>A replay buffer: experience stays until it is more than the staleness bound behind the learner (or the
    /// buffer is full); each update samples whole sibling groups from it and corrects with importance ratios.</summary>
    Replay,
}
