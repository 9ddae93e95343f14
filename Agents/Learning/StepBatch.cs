namespace Sim.Agents.Learning;

/// <summary>
/// A batch of trajectories flattened into steps, the shape <see cref="ILearner.Update"/> takes: <see cref="Steps"/> in
/// trajectory order, the trajectory of each step, and the units (tokens or choices) of each trajectory.
/// </summary>
public sealed class StepBatch
{
    /// <summary>Flattens <paramref name="trajectories"/>.</summary>
    public StepBatch(IReadOnlyList<Trajectory> trajectories)
    {
        Trajectories = trajectories;
        var steps = new List<ExperienceStep>();
        var owner = new List<int>();
        Units = new int[trajectories.Count];
        for (int t = 0; t < trajectories.Count; t++)
            foreach (var s in trajectories[t].Steps)
            {
                steps.Add(s);
                owner.Add(t);
                Units[t] += s.Units.Length;
            }
        Steps = steps;
        Owner = owner.ToArray();
    }

    /// <summary>The trajectories.</summary>
    public IReadOnlyList<Trajectory> Trajectories { get; }

    /// <summary>All steps, trajectory by trajectory.</summary>
    public IReadOnlyList<ExperienceStep> Steps { get; }

    /// <summary>Trajectory index of each step.</summary>
    public int[] Owner { get; }

    /// <summary>Units per trajectory.</summary>
    public int[] Units { get; }

    /// <summary>Behaviour log-probabilities, shaped like <see cref="ILearner.LogProbs"/>.</summary>
    public float[][] BehaviourLogProbs() => Steps.Select(s => s.BehaviourLogProbs).ToArray();

    /// <summary>An array shaped like the log-probabilities, filled by <paramref name="unit"/>(step, unit).</summary>
    public float[][] PerUnit(Func<int, int, float> unit)
    {
        var r = new float[Steps.Count][];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = new float[Steps[i].Units.Length];
            for (int u = 0; u < r[i].Length; u++) r[i][u] = unit(i, u);
        }
        return r;
    }
}
