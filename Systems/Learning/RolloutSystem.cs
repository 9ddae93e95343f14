using Sim.Agents.Learning;
using Sim.Engine;

namespace Sim.Systems.Learning;

/// <summary>
/// <c>policy</c>: runs the tick's episodes, <see cref="LearningRunSpec.SamplesPerProblem"/> per problem, batched
/// across all of them: the learner writes each next step, the environment's verifiers judge it inline (process
/// rewards per step, the outcome on the answer). Episodes are stamped with the current policy version and consecutive
/// ids, and land in <see cref="LearningState.Finished"/>.
/// </summary>
public sealed class RolloutSystem : ISystem
{
    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(LearningState)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(LearningState)];

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var state = tick.World.Resources.Get<LearningState>();
        var spec = state.Spec;
        var rollouts = new Rollouts(spec.MaxLines);
        var done = rollouts.Run(spec.Learner, spec.Env, state.Tasks, spec.SamplesPerProblem, greedy: false,
            StableHash.Combine(spec.Seed, 0x2011_0075UL), state.NextEpisodeId, state.PolicyVersion);
        state.NextEpisodeId += done.Count;
        state.Finished.Clear();
        state.Finished.AddRange(done);
    }
}
