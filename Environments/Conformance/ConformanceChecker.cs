using System.Text;
using Sim.Engine;

namespace Sim.Environments.Conformance;

/// <summary>
/// Tests any <see cref="IEnvironment"/> against the contract, in the spirit of Gymnasium's <c>env_checker</c>
/// (<c>sim envs check NAME</c>). It checks: the description and difficulty spec; seed determinism (the same seed and
/// difficulty give the same problem, different seeds give different ones); the JSONL round trip; that every generated
/// problem is solved by the reference solver (valid steps, a correct answer) and that its ground truth is accepted;
/// verdict consistency (the same input gives the same verdict, rejected steps leave the state unchanged, rewards stay in
/// range, states are not mutated); that wrong answers are rejected (random text always, other problems' answers almost
/// always); that fuzzed steps and answers (random strings, huge numbers, unicode, control characters, empty lines, very
/// long lines, mutated reference steps), from the start and from every state along the reference path, raise no
/// exception and get in-range rewards; and how long verifier calls take (a warning above
/// <see cref="Options.SlowCallMs"/>). An environment's own faults (<see cref="VerdictKind.EnvironmentError"/>) fail.
/// </summary>
public sealed class ConformanceChecker
{
    /// <summary>How much work the checker does.</summary>
    /// <param name="Seeds">Problems generated per difficulty level.</param>
    /// <param name="FuzzPerProblem">Fuzzed steps and answers per problem.</param>
    /// <param name="FuzzSeed">The seed of the fuzzer.</param>
    /// <param name="SlowCallMs">A verifier call slower than this is reported as a warning.</param>
    public sealed record Options(int Seeds = 5, int FuzzPerProblem = 40, ulong FuzzSeed = 1, double SlowCallMs = 50);

    /// <summary>One check's outcome.</summary>
    /// <param name="Name">What was checked, e.g. <c>determinism</c>.</param>
    /// <param name="Passed">True when every case passed.</param>
    /// <param name="Cases">How many cases were run.</param>
    /// <param name="Failure">The first failure, when it failed.</param>
    /// <param name="Warning">Something to look at that is not a failure (a slow verifier), or null.</param>
    public sealed record CheckResult(string Name, bool Passed, int Cases, string? Failure, string? Warning = null);

    private readonly Options _options;

    /// <summary>Makes a checker.</summary>
    public ConformanceChecker(Options? options = null) => _options = options ?? new Options();

    /// <summary>Runs every check on <paramref name="env"/>; never throws for a faulty environment (a throw is a failure).</summary>
    public IReadOnlyList<CheckResult> Check(IEnvironment env)
    {
        var results = new List<CheckResult>
        {
            Run("contract", env, CheckContract),
            Run("determinism", env, CheckDeterminism),
            Run("jsonl_round_trip", env, CheckRoundTrip),
            Run("reference_solver", env, CheckReference),
            Run("verdict_consistency", env, CheckConsistency),
            Run("wrong_answers", env, CheckWrongAnswers),
            Run("fuzz", env, CheckFuzz),
            Timing(env),
        };
        return results;
    }

    /// <summary>
    /// A hash of everything the environment does on the checker's cases: each problem's JSONL row, its start state, the
    /// verdicts along its reference path, the verdict on its ground truth, and the verdicts on fuzzed inputs. Two
    /// processes must get the same value: a seed or a verdict that depends on the process (<c>string.GetHashCode</c>,
    /// time, an unseeded random number) shows as a difference (<c>sim envs check</c> compares a child process's).
    /// </summary>
    public ulong Fingerprint(IEnvironment env)
    {
        var h = new StateHasher();
        var rng = new Rng(_options.FuzzSeed ^ 0xF1A6E5UL);
        foreach (var (d, s) in Cases(env))
        {
            var p = env.Sample(s, d);
            h.Add(p.ToRecord().ToJson());
            var state = env.Start(p);
            h.Add(state.ToString());
            var steps = (env.HasReferenceSolver ? env.Solve(p)?.Steps : null) ?? [];
            foreach (var step in steps)
            {
                var v = env.CheckStep(p, state, step);
                Add(ref h, v);
                if (v.Valid) state = v.State;
            }
            var a = env.CheckAnswer(p, p.Answer);
            h.Add((int)a.Kind);
            h.Add(a.Reward);
            for (int i = 0; i < 8; i++)
            {
                string text = Fuzz(ref rng, steps, p.Answer);
                Add(ref h, env.CheckStep(p, env.Start(p), text));
            }
        }
        return h.Value;

        static void Add(ref StateHasher h, in StepVerdict v)
        {
            h.Add((int)v.Kind);
            h.Add(v.Reason);
            h.Add(v.ProcessReward);
            h.Add(v.State?.ToString());
        }
    }

    private sealed class Failed(string message) : Exception(message);

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new Failed(message);
    }

    private CheckResult Run(string name, IEnvironment env, Func<IEnvironment, int> body)
    {
        try
        {
            int cases = body(env);
            return new CheckResult(name, true, cases, null);
        }
        catch (Failed f)
        {
            return new CheckResult(name, false, 0, f.Message);
        }
        catch (Exception ex)
        {
            return new CheckResult(name, false, 0, $"threw {ex.GetType().Name}: {ex.Message}");
        }
    }

    private IEnumerable<(int Difficulty, ulong Seed)> Cases(IEnvironment env)
    {
        for (int d = env.Difficulty.Min; d <= env.Difficulty.Max; d++)
            for (ulong s = 0; s < (ulong)_options.Seeds; s++)
                yield return (d, s * 7919 + 1);
    }

    private static int CheckContract(IEnvironment env)
    {
        Require(!string.IsNullOrWhiteSpace(env.Name) && !env.Name.Any(char.IsWhiteSpace), "Name must be non-empty without spaces");
        Require(!string.IsNullOrWhiteSpace(env.Description), "Description is empty");
        var d = env.Difficulty;
        Require(d.Min <= d.Default && d.Default <= d.Max, $"difficulty default {d.Default} is outside [{d.Min}, {d.Max}]");
        Require(!string.IsNullOrWhiteSpace(d.Meaning), "the difficulty's meaning is not documented");
        Require(env.ProcessRewardRange.Min <= env.ProcessRewardRange.Max, "ProcessRewardRange is empty");
        bool threw = false;
        try { env.Sample(1, d.Max + 1); } catch (ArgumentException) { threw = true; }
        Require(threw, "Sample accepts a difficulty above Max (it must throw ArgumentException)");
        return 4;
    }

    private int CheckDeterminism(IEnvironment env)
    {
        int n = 0;
        var distinct = new Dictionary<int, HashSet<string>>();
        foreach (var (d, s) in Cases(env))
        {
            string a = env.Sample(s, d).ToRecord().ToJson();
            string b = env.Sample(s, d).ToRecord().ToJson();
            Require(a == b, $"seed {s}, difficulty {d}: two samples differ");
            if (!distinct.TryGetValue(d, out var set)) distinct[d] = set = new HashSet<string>();
            set.Add(a);
            n++;
        }
        // Different seeds give different problems at every difficulty (a generator that ignores its seed fails).
        foreach (var (d, set) in distinct)
            Require(set.Count > 1 || _options.Seeds <= 1, $"difficulty {d}: every seed gives the same problem");
        return n;
    }

    private int CheckRoundTrip(IEnvironment env)
    {
        int n = 0;
        foreach (var (d, s) in Cases(env))
        {
            var p = env.Sample(s, d);
            var row = p.ToRecord();
            var back = env.Load(ProblemRecord.Parse(row.ToJson()));
            Require(back.Question == p.Question && back.Answer == p.Answer, $"{p.Id}: question or answer changed in the JSONL round trip");
            Require(back.ToRecord().ToJson() == row.ToJson(), $"{p.Id}: metadata changed in the JSONL round trip");
            Require(Same(env.CheckAnswer(back, p.Answer), env.CheckAnswer(p, p.Answer)), $"{p.Id}: the reloaded problem judges the ground truth differently");
            // The reloaded problem is the same problem: the same start state, and the same verdicts along the reference path.
            EnvState a = env.Start(p), b = env.Start(back);
            Require(a.ToString() == b.ToString(), $"{p.Id}: the reloaded problem starts from another state ({Clip(b.ToString() ?? "")} for {Clip(a.ToString() ?? "")})");
            if (env.HasReferenceSolver && env.Solve(p) is { } sol)
                foreach (var step in sol.Steps)
                {
                    var va = env.CheckStep(p, a, step);
                    var vb = env.CheckStep(back, b, step);
                    Require(Same(va, vb), $"{p.Id}: the reloaded problem judges the reference step '{Clip(step)}' differently");
                    if (!va.Valid) break;
                    (a, b) = (va.State, vb.State);
                }
            n++;
        }
        return n;
    }

    /// <summary>
    /// The least share of reference answers a proxy grader (<see cref="IRubricGraded"/>: a judge, whose noise is fixed per
    /// answer) must accept. Exact verifiers must accept every one.
    /// </summary>
    public const double ProxyAcceptanceFloor = 0.8;

    private int CheckReference(IEnvironment env)
    {
        int n = 0, accepted = 0, judged = 0;
        bool proxy = env is IRubricGraded;
        string? firstRejected = null;
        foreach (var (d, s) in Cases(env))
        {
            var p = env.Sample(s, d);
            var truth = env.CheckAnswer(p, p.Answer);
            Require(truth.Kind != VerdictKind.EnvironmentError, $"{p.Id}: the ground truth: {truth.Reason}");
            if (proxy)
            {
                // A judge may reject a good answer (that is what a proxy does); it must not reject most of them.
                judged++;
                if (truth.Correct) accepted++;
                else firstRejected ??= $"{p.Id}: {truth.Reason}";
                n++;
                continue;
            }
            Require(truth.Correct, $"{p.Id}: the ground truth '{Clip(p.Answer)}' is not accepted: {truth.Reason}");
            if (!env.HasReferenceSolver) { n++; continue; }
            var sol = env.Solve(p);
            if (sol is null)
            {
                Require(truth.Correct, $"{p.Id}: no reference solution");
                n++;
                continue;
            }
            var state = env.Start(p);
            foreach (var step in sol.Steps)
            {
                var v = env.CheckStep(p, state, step);
                Require(v.Valid, $"{p.Id}: reference step '{Clip(step)}' rejected: {v.Reason}");
                Require(v.SolvableFromHere != Solvability.No, $"{p.Id}: reference step '{Clip(step)}' leads to an unsolvable state");
                state = v.State;
            }
            var ans = env.CheckAnswer(p, sol.Answer);
            Require(ans.Correct && ans.Reward > 0, $"{p.Id}: reference answer '{Clip(sol.Answer)}' rejected: {ans.Reason}");
            n++;
        }
        if (proxy)
            Require(accepted >= ProxyAcceptanceFloor * judged,
                $"the grader accepts {accepted} of {judged} reference answers, under the floor of {ProxyAcceptanceFloor:P0} (first rejected: {firstRejected})");
        return n;
    }

    private int CheckConsistency(IEnvironment env)
    {
        int n = 0;
        var range = env.ProcessRewardRange;
        foreach (var (d, s) in Cases(env))
        {
            var p = env.Sample(s, d);
            var start = env.Start(p);
            string startText = start.ToString();
            var steps = (env.HasReferenceSolver ? env.Solve(p)?.Steps : null) ?? [p.Answer];
            EnvState state = start;
            foreach (var step in steps.Concat(["", "nonsense"]))
            {
                var a = env.CheckStep(p, state, step);
                var b = env.CheckStep(p, state, step);
                // A TaskEnvironment turns its own exceptions and bad rewards into EnvironmentError verdicts: still bugs.
                Require(a.Kind != VerdictKind.EnvironmentError, $"{p.Id}: step '{Clip(step)}': {a.Reason}");
                Require(Same(a, b), $"{p.Id}: step '{Clip(step)}' gave two different verdicts");
                Require(Present(a.Reason) && Present(a.State), $"{p.Id}: verdict without a reason or state");
                Require(range.Contains(a.ProcessReward), $"{p.Id}: process reward {a.ProcessReward} outside [{range.Min}, {range.Max}]");
                if (!a.Valid)
                    Require(ReferenceEquals(a.State, state) || a.State.ToString() == state.ToString(), $"{p.Id}: a rejected step changed the state");
                if (a.Valid) state = a.State;
                n++;
            }
            Require(start.ToString() == startText, $"{p.Id}: CheckStep mutated the start state");
            var x = env.CheckAnswer(p, p.Answer);
            var y = env.CheckAnswer(p, p.Answer);
            Require(x.Kind != VerdictKind.EnvironmentError, $"{p.Id}: the ground truth: {x.Reason}");
            Require(Same(x, y), $"{p.Id}: the same answer got two different verdicts");
            Require(x.Reward is >= 0 and <= 1 && x.Score is >= 0 and <= 1, $"{p.Id}: outcome reward or score outside [0, 1]");
        }
        return n;
    }

    // Wrong answers must be rejected: random text always (a verifier that accepts anything fails here), and the ground
    // truths of other problems of the same difficulty almost always (two problems may share an answer).
    private int CheckWrongAnswers(IEnvironment env)
    {
        var rng = new Rng(_options.FuzzSeed ^ 0xBAD0A115UL);
        int n = 0, others = 0, acceptedOthers = 0;
        foreach (var (d, s) in Cases(env))
        {
            var p = env.Sample(s, d);
            foreach (var junk in new[] { "qzx wvk", "?!", RandomText(ref rng), "0 0 0 0 0" })
            {
                var v = env.CheckAnswer(p, junk);
                Require(!v.Correct, $"{p.Id}: the answer {Show(junk)} is accepted ({v.Reason})");
                n++;
            }
            var other = env.Sample(s + 104729, d);
            if (other.Answer == p.Answer) continue;
            others++;
            if (env.CheckAnswer(p, other.Answer).Correct) acceptedOthers++;
            n++;
        }
        Require(acceptedOthers <= Math.Max(1, others / 5), $"{acceptedOthers} of {others} other problems' answers are accepted");
        return n;
    }

    private static string RandomText(ref Rng rng)
    {
        var sb = new StringBuilder();
        int len = 1 + rng.NextInt(20);
        for (int i = 0; i < len; i++) sb.Append((char)('a' + rng.NextInt(26)));
        return sb.ToString();
    }

    // Times every verifier call of a pass over the reference paths; never fails, warns above Options.SlowCallMs.
    private CheckResult Timing(IEnvironment env)
    {
        try
        {
            double slowest = 0;
            string slowestCall = "";
            int n = 0;
            foreach (var (d, s) in Cases(env))
            {
                var p = env.Sample(s, d);
                var state = env.Start(p);
                foreach (var step in (env.HasReferenceSolver ? env.Solve(p)?.Steps : null) ?? [])
                {
                    long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                    var v = env.CheckStep(p, state, step);
                    double ms = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    if (ms > slowest) (slowest, slowestCall) = (ms, $"{p.Id}: CheckStep '{Clip(step)}'");
                    if (v.Valid) state = v.State;
                    n++;
                }
                long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
                env.CheckAnswer(p, p.Answer);
                double ams = System.Diagnostics.Stopwatch.GetElapsedTime(t1).TotalMilliseconds;
                if (ams > slowest) (slowest, slowestCall) = (ams, $"{p.Id}: CheckAnswer");
                n++;
            }
            string? warning = slowest > _options.SlowCallMs ? $"the slowest verifier call took {slowest:0} ms (over {_options.SlowCallMs:0} ms): {slowestCall}" : null;
            return new CheckResult("timing", true, n, null, warning);
        }
        catch (Exception ex)
        {
            return new CheckResult("timing", false, 0, $"threw {ex.GetType().Name}: {ex.Message}");
        }
    }

    private int CheckFuzz(IEnvironment env)
    {
        var rng = new Rng(_options.FuzzSeed);
        int n = 0;
        foreach (var (d, s) in Cases(env).Take(Math.Max(3, _options.Seeds)))
        {
            var p = env.Sample(s, d);
            var seeds = (env.HasReferenceSolver ? env.Solve(p)?.Steps : null) ?? [p.Answer];
            // Fuzz from the start and from every state along the reference path (bugs often hide past the first step).
            var states = new List<EnvState> { env.Start(p) };
            if (env.HasReferenceSolver && env.Solve(p) is { } sol)
                foreach (var step in sol.Steps)
                {
                    var v0 = env.CheckStep(p, states[^1], step);
                    if (!v0.Valid) break;
                    states.Add(v0.State);
                }
            for (int i = 0; i < _options.FuzzPerProblem; i++)
            {
                var state = states[i % states.Count];
                string text = Fuzz(ref rng, seeds, p.Answer);
                StepVerdict v;
                AnswerVerdict a;
                try
                {
                    v = env.CheckStep(p, state, text);
                    a = env.CheckAnswer(p, text);
                }
                catch (Exception ex)
                {
                    throw new Failed($"{p.Id}: input {Show(text)} threw {ex.GetType().Name}: {ex.Message}");
                }
                if (v.Kind == VerdictKind.EnvironmentError) throw new Failed($"{p.Id}: input {Show(text)}: {v.Reason}");
                if (a.Kind == VerdictKind.EnvironmentError) throw new Failed($"{p.Id}: answer {Show(text)}: {a.Reason}");
                Require(Present(v.State) && Present(v.Reason) && Present(a.Reason), $"{p.Id}: input {Show(text)} gave an incomplete verdict");
                Require(env.ProcessRewardRange.Contains(v.ProcessReward), $"{p.Id}: input {Show(text)}: reward out of range");
                n++;
            }
        }
        return n;
    }

    /// <summary>One fuzzed input: a random string, a huge number, unicode, an empty line, or a mutated valid step.</summary>
    internal static string Fuzz(ref Rng rng, IReadOnlyList<string> valid, string answer)
    {
        string pick = valid.Count > 0 ? valid[rng.NextInt(valid.Count)] : answer;
        switch (rng.NextInt(14))
        {
            case 12:
            case 13:
            {
                // A valid step with its numbers made huge (an overflow in the verifier's number handling).
                var sb = new StringBuilder(pick.Length + 40);
                bool inNumber = false;
                foreach (char c in pick)
                {
                    if (char.IsAsciiDigit(c)) { if (!inNumber) sb.Append(rng.NextInt(2) == 0 ? "99999999999" : "9223372036854775808"); inNumber = true; continue; }
                    inNumber = false;
                    sb.Append(c);
                }
                return sb.ToString();
            }
            case 0: return "";
            case 1: return "\n\n \t";
            case 2: return new string('9', rng.NextInt(20, 400)) + " * " + new string('9', rng.NextInt(20, 400)) + " = 1";
            case 3: return "1e308 + 1e308 = Infinity";
            case 4: return "∞ ÷ 0 = NaN ½ × ⅓ − 𝟙 = 👍";
            case 5: return "\0\u0001\u001b[31m\ud800\udfff\uffff";
            case 6: return new string('(', rng.NextInt(50, 5000)) + "1" + new string(')', rng.NextInt(50, 5000));
            case 7: return new string('x', rng.NextInt(5000, 20000));
            case 8:
            {
                var sb = new StringBuilder();
                int len = rng.NextInt(1, 40);
                for (int i = 0; i < len; i++) sb.Append((char)rng.NextInt(32, 127));
                return sb.ToString();
            }
            case 9:
            {
                // A valid step with one character changed.
                if (pick.Length == 0) return "=";
                var chars = pick.ToCharArray();
                chars[rng.NextInt(chars.Length)] = "0123456789+-*/=() x"[rng.NextInt(19)];
                return new string(chars);
            }
            case 10: return pick + pick;
            default: return "-" + pick.Replace("=", "= -");
        }
    }

    private static bool Same(StepVerdict a, StepVerdict b) =>
        a.Kind == b.Kind && a.Reason == b.Reason && a.ProcessReward.Equals(b.ProcessReward) && a.SolvableFromHere == b.SolvableFromHere
        && a.Terminal == b.Terminal && a.State.ToString() == b.State.ToString();

    private static bool Same(AnswerVerdict a, AnswerVerdict b) =>
        a.Kind == b.Kind && a.Reward.Equals(b.Reward) && a.Score.Equals(b.Score) && Nullable.Equals(a.GoldReward, b.GoldReward);

    // A method call, so the null check does not teach the compiler that the value might be null.
    private static bool Present(object? o) => o is not null;

    private static string Clip(string s) => s.Length > 60 ? s[..60] + "..." : s;

    private static string Show(string s) => System.Text.Json.JsonSerializer.Serialize(Clip(s));
}
