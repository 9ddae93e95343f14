using Sim.Agents.Learning;
using Sim.Engine;

namespace Sim.Systems.Learning;

/// <summary>
/// <c>metrics</c>: every <see cref="LearningRunSpec.EvalEvery"/> updates, the greedy solve rate on the held-out
/// problems (and on the training pool, when there is one).
/// </summary>
public sealed class EvaluationSystem : ISystem
{
    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(LearningState)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(LearningLog)];

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var r = tick.World.Resources;
        var state = r.Get<LearningState>();
        var log = r.Get<LearningLog>();
        int every = state.Spec.EvalEvery;
        if (every <= 0 || state.PolicyVersion == 0 || state.PolicyVersion % every != 0) return;
        if (log.Evals.Count > 0 && log.Evals[^1].Version == state.PolicyVersion) return;
        log.Evals.Add(Evaluate(state));
    }

    /// <summary>Greedy solve rates of the current policy.</summary>
    public static EvalRecord Evaluate(LearningState state)
    {
        var spec = state.Spec;
        double heldOut = SolveRate(spec, state.HeldOut);
        double? pool = state.Pool is { } p ? SolveRate(spec, p) : null;
        return new EvalRecord(state.PolicyVersion, heldOut, pool);
    }

    /// <summary>Share of <paramref name="problems"/> the learner solves greedily.</summary>
    public static double SolveRate(LearningRunSpec spec, IReadOnlyList<Sim.Environments.Problem> problems)
    {
        if (problems.Count == 0) return double.NaN;
        var tasks = problems.Select((p, i) => new Rollouts.Task(p, i)).ToArray();
        var done = new Rollouts(spec.MaxLines).Run(spec.Learner, spec.Env, tasks, 1, greedy: true, spec.Seed, 0);
        return done.Count(t => t.Correct) / (double)done.Count;
    }
}
