using System.Diagnostics;
using Sim.Engine;
using Sim.Environments;
using Sim.Environments.Code;
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
        RunCode(report, quick, p => progress(0.6 + 0.4 * p));
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

    // A 10-line function and 5 tests: the fixed workload of envs.code.*.
    public const string CodeSource = """
        function maxSubarray(nums) {
          let best = -Infinity;
          let current = 0;
          for (let i = 0; i < nums.length; i++) {
            current = Math.max(nums[i], current + nums[i]);
            if (current > best) best = current;
          }
          if (nums.length === 0) return 0;
          return best;
        }
        """;

    public static readonly CodeTest[] CodeTests =
    [
        new("[[1, -2, 3, 4, -1]]", "7"),
        new("[[-3, -1, -2]]", "-1"),
        new("[[]]", "0"),
        new("[[5]]", "5"),
        new("[[2, -1, 2, -1, 2, -1, 2]]", "5"),
    ];

    private static void RunCode(BenchReport report, bool quick, Action<double> progress)
    {
        var sandbox = new JsSandbox();
        var expected = CodeTests.Select(t => JsSandbox.Canonical.OfJson(t.ExpectedJson)).ToArray();
        var check = sandbox.Run(CodeSource, "maxSubarray", CodeTests, expected);
        if (check.Kind != VerdictKind.Ok) throw new InvalidOperationException($"code workload fails: {check.Detail}");
        int workers = Environment.ProcessorCount;
        int runs = quick ? 4000 : 20000;
        double seconds = Measure.BestSeconds(() =>
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
            {
                for (int i = w; i < runs; i += workers)
                    if (sandbox.Run(CodeSource, "maxSubarray", CodeTests, expected).Kind != VerdictKind.Ok) throw new InvalidOperationException("run failed");
            });
        }, quick ? 2 : 3);
        double jint = runs / seconds;
        report.Add("envs.code.runs_per_s", jint, "runs/s", "target >= 30,000; fresh engine per run; all cores");
        progress(0.5);
        double node = NodeRunsPerSecond(quick ? 6 : 24, workers);
        report.Add("envs.code.vs_node_process", node > 0 ? jint / node : double.NaN, "x",
            node > 0 ? $"target >= 1,000x; node: {node:F1} runs/s, one process per run, {workers} at a time" : "node not found");
        progress(1);
    }

    // The usual process-per-sample sandbox: one `node` process per run, the same function and tests, as many
    // processes at a time as there are cores. Returns 0 when node is not installed.
    private static double NodeRunsPerSecond(int runs, int workers)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"sim-bench-node-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            string file = Path.Combine(dir, "run.js");
            var tests = string.Join(",\n", CodeTests.Select(t => $"  [{t.ArgsJson}, {t.ExpectedJson}]"));
            File.WriteAllText(file, "'use strict';\n" + CodeSource + "\nconst tests = [\n" + tests + "\n];\n" +
                "let passed = 0;\nfor (const [args, want] of tests) if (JSON.stringify(maxSubarray(...args)) === JSON.stringify(want)) passed++;\n" +
                "process.stdout.write(String(passed));\n");
            if (RunNode(file) is not "5") return 0;
            long t0 = Stopwatch.GetTimestamp();
            Parallel.For(0, runs, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
            {
                if (RunNode(file) != "5") throw new InvalidOperationException("node run failed");
            });
            return runs / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static string? RunNode(string file)
    {
        try
        {
            var psi = new ProcessStartInfo("node", [file]) { RedirectStandardOutput = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            if (p is null) return null;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
