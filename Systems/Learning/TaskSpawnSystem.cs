using Sim.Agents.Learning;
using Sim.Engine;

namespace Sim.Systems.Learning;

/// <summary>
/// <c>spawn</c>: picks the tick's problems at the chosen difficulty: the next slice of the fixed training pool when
/// the run has one, otherwise fresh problems from the run's training seed range. Each problem is one sibling group.
/// </summary>
public sealed class TaskSpawnSystem : ISystem
{
    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(LearningState)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(LearningState), typeof(LearningLog)];

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var state = tick.World.Resources.Get<LearningState>();
        var spec = state.Spec;
        state.Tasks.Clear();
        state.Tick++;
        for (int i = 0; i < spec.ProblemsPerTick; i++)
        {
            long index = (state.Tick - 1) * spec.ProblemsPerTick + i;
            var problem = state.Pool is { } pool
                ? pool[(int)(index % pool.Count)]
                : LearningProblems.Train(spec.Env, spec.Seed, state.Difficulty, index);
            state.Tasks.Add(new Rollouts.Task(problem, i));
        }
        tick.World.Resources.Get<LearningLog>().Levels.Add(state.Difficulty);
    }
}
