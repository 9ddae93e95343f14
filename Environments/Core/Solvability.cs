namespace Sim.Environments;

/// <summary>Whether the task can still be solved from a state, where the environment can know it.</summary>
public enum Solvability : byte
{
    /// <summary>The environment cannot tell (free-form answers, code).</summary>
    Unknown = 0,

    /// <summary>A correct final answer is still reachable from this state (an exact step value of 1).</summary>
    Yes = 1,

    /// <summary>No continuation from this state reaches a correct answer (an exact step value of 0).</summary>
    No = 2,
}
