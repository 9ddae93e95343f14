using System.Diagnostics;
using Sim.Engine;
using Sim.Environments;
using Sim.Environments.Countdown;
using Sim.Environments.Exact;

namespace Sim.Bench.Suites;

/// <summary>
/// <c>sim bench envs</c>: verifier throughput of the task environments. Step rates use every core (each checks its
/// own share of the steps, as the environment system does); the oracle and answer figures use one thread.
/// <list type="bullet">
/// <item><c>envs.arith.steps_per_s</c>: <c>arith</c> steps checked per second (reference steps of difficulty-2 problems, each from its own state).</item>
/// <item><c>envs.countdown.steps_per_s</c>: <c>countdown</c> steps (difficulty 2: four numbers, TV rules) checked per second, each including the exact solvability oracle.</item>
/// <item><c>envs.countdown.oracle_us</c>: microseconds for one solvability check from 4 numbers (random 24-game hands, rationals, all numbers used; no memo across calls).</item>
/// <item><c>envs.countdown.expr_answers_per_s</c>: whole-expression answers such as <c>(8-3)*4+4</c> checked per second.</item>
/// <item><c>envs.code.runs_per_s</c>: a 10-line JavaScript function run against 5 tests, a fresh sandbox each run.</item>
/// <item><c>envs.code.vs_node_process</c>: that rate divided by the rate of doing the same runs with one <c>node</c> process per run, measured in the same command.</item>
/// </list>
/// </summary>
public sealed class EnvsSuite : IBenchSuite
{
    /// <inheritdoc />
    public string Name => "envs";

    /// <inheritdoc />
    public string Description => "task environment verifiers: arith and countdown steps, the countdown oracle, expression answers, the code sandbox";

    /// <inheritdoc />
    public void Run(BenchReport report, bool quick, Action<double> progress)
    {
        int repeats = quick ? 3 : 7;
        report.Add("envs.arith.steps_per_s", StepsPerSecond(EnvironmentRegistry.Default.Get("arith"), 2, repeats), "steps/s", "target >= 2,000,000; all cores");
        progress(0.15);
        report.Add("envs.countdown.steps_per_s", StepsPerSecond(EnvironmentRegistry.Default.Get("countdown"), 2, repeats), "steps/s",
            "target >= 2,000,000; all cores; includes the solvability oracle");
        progress(0.3);
        report.Add("envs.countdown.oracle_us", OracleMicroseconds(repeats), "us", "target <= 5; from 4 numbers, one thread");
        progress(0.45);
        report.Add("envs.countdown.expr_answers_per_s", ExpressionAnswersPerSecond(repeats), "answers/s",
            "target >= 1,000,000; reasoning-gym's sympy scorer: ~4,400/s");
        progress(0.6);
        CodeBench.Run(report, quick, p => progress(0.6 + 0.4 * p));
        progress(1);
    }

    private readonly record struct StepCase(Problem Problem, EnvState State, string Step);

    private static double StepsPerSecond(IEnvironment env, int difficulty, int repeats)
    {
        var cases = new List<StepCase>();
        for (ulong seed = 0; cases.Count < 4096; seed++)
        {
            var p = env.Sample(seed, difficulty);
            var state = env.Start(p);
            foreach (var step in env.Solve(p)!.Steps)
            {
                cases.Add(new StepCase(p, state, step));
                state = env.CheckStep(p, state, step).State;
            }
        }
        var arr = cases.ToArray();
        const int Rounds = 100;
        // Every core checks its own share of the steps, the way the environment system spreads a tick's steps.
        int workers = Environment.ProcessorCount;
        var valid = new int[workers * 16];
        double best = Measure.BestSeconds(() =>
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
            {
                int ok = 0;
                int lo = arr.Length * w / workers, hi = arr.Length * (w + 1) / workers;
                for (int r = 0; r < Rounds; r++)
                    for (int i = lo; i < hi; i++)
                        if (env.CheckStep(arr[i].Problem, arr[i].State, arr[i].Step).Valid) ok++;
                valid[w * 16] += ok;
            });
        }, repeats);
        if (valid.Sum() == 0) throw new InvalidOperationException("no valid steps");
        return arr.Length * (double)Rounds / best;
    }

    private static Rational[][] Hands(int count)
    {
        var rng = new Rng(24);
        var hands = new Rational[count][];
        for (int i = 0; i < count; i++)
        {
            hands[i] = new Rational[4];
            for (int k = 0; k < 4; k++) hands[i][k] = rng.NextInt(1, 14);
        }
        return hands;
    }

    private static double OracleMicroseconds(int repeats)
    {
        var solver = new CountdownSolver(24, allowRationals: true, mustUseAll: true);
        var hands = Hands(20_000);
        int yes = 0;
        double best = Measure.BestSeconds(() =>
        {
            foreach (var h in hands) if (solver.CanReach(h)) yes++;
        }, repeats);
        return best / hands.Length * 1e6;
    }

    private static double ExpressionAnswersPerSecond(int repeats)
    {
        var env = EnvironmentRegistry.Default.Get("game24");
        var problems = new List<(Problem, string)>();
        for (ulong seed = 0; problems.Count < 2048; seed++)
        {
            var p = env.Sample(seed, 2);
            problems.Add((p, p.Answer));
        }
        var arr = problems.ToArray();
        const int Rounds = 50;
        int correct = 0;
        double best = Measure.BestSeconds(() =>
        {
            for (int r = 0; r < Rounds; r++)
                foreach (var (p, a) in arr)
                    if (env.CheckAnswer(p, a).Correct) correct++;
        }, repeats);
        if (correct == 0) throw new InvalidOperationException("no correct answers");
        return arr.Length * (double)Rounds / best;
    }
}
