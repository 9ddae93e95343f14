namespace Sim.Agents.Learning;

/// <summary>Experience buffer settings.</summary>
/// <param name="Mode">On-policy (each batch once) or a replay buffer.</param>
/// <param name="MaxStaleness">Replay: experience more than this many policy versions behind the learner is dropped.</param>
/// <param name="Capacity">Replay: trajectories kept at most (the oldest go first).</param>
/// <param name="BatchGroups">Replay: sibling groups sampled per update (0 = all).</param>
public sealed record BufferConfig(BufferMode Mode = BufferMode.OnPolicy, int MaxStaleness = 4, int Capacity = 8192, int BatchGroups = 0)
{
    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> with the reason.</summary>
    public BufferConfig Validate()
    {
        if (MaxStaleness < 0) throw new ArgumentException("the staleness bound must be >= 0");
        if (Capacity < 1) throw new ArgumentException("the buffer capacity must be >= 1");
        if (BatchGroups < 0) throw new ArgumentException("the groups per batch must be >= 0");
        return this;
    }
}
