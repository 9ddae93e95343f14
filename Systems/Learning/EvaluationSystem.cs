using Sim.Agents.Evaluation;
using Sim.Agents.Learning;
using Sim.Engine;

namespace Sim.Systems.Learning;

/// <summary>
/// <c>metrics</c>: every <see cref="LearningRunSpec.EvalEvery"/> updates, the greedy solve rate on the held-out
/// problems (and on the training pool, when there is one); with <see cref="LearningRunSpec.EvalSamples"/> K, also
/// pass@k and maj@k for k = 1, 2, 4 … K from K samples per held-out problem, as <c>sim eval</c> computes them.
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
        if (spec.EvalSamples <= 0 || state.HeldOut.Count == 0) return new EvalRecord(state.PolicyVersion, heldOut, pool);
        int n = spec.EvalSamples;
        var tasks = state.HeldOut.Select((q, i) => new Rollouts.Task(q, i)).ToArray();
        var done = new Rollouts(spec.MaxLines).Run(spec.Learner, spec.Env, tasks, n, greedy: false, StableHash.Combine(spec.Seed, 0xE7A1UL), 0);
        var ks = new List<int>();
        for (int k = 1; k <= n; k *= 2) ks.Add(k);
        if (ks[^1] != n) ks.Add(n);
        var pass = ks.ToDictionary(k => k, _ => 0.0);
        var maj = ks.ToDictionary(k => k, _ => 0.0);
        for (int q = 0; q < tasks.Length; q++)
        {
            var attempts = done.GetRange(q * n, n).Select(t => (Answer(t), t.Correct)).ToArray();
            int c = attempts.Count(a => a.Correct);
            foreach (int k in ks)
            {
                pass[k] += SampleEval.PassAtK(n, c, k) / tasks.Length;
                maj[k] += SampleEval.MajorityAtK(attempts, k) / tasks.Length;
            }
        }
        return new EvalRecord(state.PolicyVersion, heldOut, pool, pass, maj);
    }

    // The answer a trajectory gave: its answer line, or (for a policy that answers with its steps) the steps.
    private static string? Answer(Trajectory t)
    {
        if (t.Steps.Count == 0) return null;
        var last = t.Steps[^1];
        if (last.Kind == Sim.Agents.Policies.StepKind.Answer) return Sim.Agents.Policies.StepProtocol.AnswerOf(last.Text);
        return t.Steps.All(s => s.Units.Length > 0) ? string.Join("; ", t.Steps.Select(s => s.Text)) : null;
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
