using System.Text.Json.Nodes;

namespace Sim.Environments.Code;

/// <summary>
/// Write a JavaScript function to a spec; it runs in the <see cref="JsSandbox"/> (Jint 4) against hidden tests.
/// <para><b>Observation.</b> The spec: name, signature, description and visible examples. The state is the last
/// submission that passed every hidden test (none at the start).</para>
/// <para><b>Step.</b> A complete submission (the whole function, as one step; in <c>sim verify</c> step files, write it
/// as a JSON string to keep it on one line). It runs against every hidden test in a fresh sandbox.</para>
/// <para><b>Process reward</b> in [0, 1]: the fraction of hidden tests passed. The verdict kind tells the failure apart:
/// <see cref="VerdictKind.SyntaxError"/>, <see cref="VerdictKind.RuntimeError"/>, <see cref="VerdictKind.Timeout"/>,
/// <see cref="VerdictKind.MemoryLimit"/>, <see cref="VerdictKind.RecursionLimit"/>, <see cref="VerdictKind.WrongAnswer"/>;
/// <see cref="VerdictKind.Ok"/> only when every test passes. <see cref="StepVerdict.SolvableFromHere"/> is Unknown.</para>
/// <para><b>Answer.</b> A complete submission; outcome 1 when every hidden test passes (score: the fraction passed).</para>
/// <para><b>Episode end.</b> A step that passes every test is terminal. <b>Difficulty</b> 1–5: one-liners, loops,
/// logic, classic algorithms, dynamic programming; each level draws from its 8 hand-written tasks and the 4 procedural
/// families (<see cref="CodeFamilies"/>).</para>
/// </summary>
public sealed class CodeEnvironment : TaskEnvironment<CodeTask, CodeState>
{
    private readonly JsSandbox _sandbox;

    /// <summary>Makes the environment with default sandbox limits.</summary>
    public CodeEnvironment() : this(new JsSandbox()) { }

    /// <summary>Makes the environment with a given sandbox.</summary>
    public CodeEnvironment(JsSandbox sandbox) => _sandbox = sandbox;

    /// <inheritdoc />
    public override string Name => "code";

    /// <inheritdoc />
    public override string Description => "write a JavaScript function to a spec; it runs in a Jint sandbox against hidden tests";

    /// <inheritdoc />
    public override DifficultySpec Difficulty { get; } =
        new(1, 5, 2, "1 one-liners, 2 loops, 3 logic, 4 classic algorithms, 5 dynamic programming; plus 4 procedural families scaled by level");

    /// <inheritdoc />
    public override int MaxTextLength => 64 * 1024;

    /// <inheritdoc />
    public override Problem Sample(ulong seed, int difficulty)
    {
        Difficulty.Check(difficulty);
        var rng = EnvRandom.For(Name, seed, difficulty);
        var level = CodeCatalog.Tasks.Where(t => t.Difficulty == difficulty).ToArray();
        int pick = rng.NextInt(level.Length + CodeFamilies.Names.Count);
        var task = pick < level.Length ? level[pick] : CodeFamilies.Generate(_sandbox, CodeFamilies.Names[pick - level.Length], ref rng, difficulty);
        return Make(task, $"code-{task.Id}-d{difficulty}-s{seed}", difficulty, seed);
    }

    private Problem Make(CodeTask task, string id, int difficulty, ulong? seed)
    {
        static JsonArray Tests(IEnumerable<CodeTest> tests)
        {
            var a = new JsonArray();
            foreach (var t in tests) a.Add(new JsonObject { ["args"] = JsonNode.Parse(t.ArgsJson), ["expected"] = JsonNode.Parse(t.ExpectedJson) });
            return a;
        }
        var parameters = new JsonObject
        {
            ["task"] = task.Id,
            ["function"] = task.Function,
            ["signature"] = task.Signature,
            ["description"] = task.Description,
            ["examples"] = Tests(task.Examples),
            ["tests"] = Tests(task.Tests),
        };
        return new Problem(Name, id, task.Prompt(), task.Reference, difficulty, seed, parameters, task);
    }

    /// <inheritdoc />
    public override Problem Load(ProblemRecord record)
    {
        var m = record.Metadata;
        string function = Metadata.String(m, "function") ?? throw new InvalidDataException("metadata lacks \"function\"");
        if (!System.Text.RegularExpressions.Regex.IsMatch(function, "^[A-Za-z_$][A-Za-z0-9_$]{0,63}$"))
            throw new InvalidDataException("metadata \"function\" is not a JavaScript identifier");
        CodeTest[] Tests(string key)
        {
            if (!m.TryGetPropertyValue(key, out var n) || n is not JsonArray arr) return [];
            if (arr.Count > 1000) throw new InvalidDataException($"metadata \"{key}\" has more than 1000 tests");
            try
            {
                return arr.Select(t => t is JsonObject o && o["args"] is JsonArray args && o.ContainsKey("expected")
                    ? new CodeTest(args.ToJsonString(), o["expected"]?.ToJsonString() ?? "null")
                    : throw new InvalidDataException($"metadata \"{key}\" holds a test without an \"args\" array and an \"expected\" value")).ToArray();
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json cannot write a string holding a lone UTF-16 surrogate back out, and replacing it would
                // make the test judge a different string: refuse the problem, as the user's to fix.
                throw new InvalidDataException($"metadata \"{key}\" holds a string with a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape), which a test cannot compare exactly");
            }
        }
        var tests = Tests("tests");
        if (tests.Length == 0) throw new InvalidDataException("metadata \"tests\" is missing or empty");
        var task = new CodeTask(Metadata.String(m, "task") ?? record.Id, Metadata.Difficulty(m), function,
            Metadata.String(m, "signature") ?? function + "(...)", Metadata.String(m, "description") ?? record.Question,
            Tests("examples"), tests, record.Answer);
        return new Problem(Name, record.Id, record.Question, record.Answer, task.Difficulty, Metadata.Seed(m), Metadata.Parameters(m), task);
    }

    /// <inheritdoc />
    protected override CodeState Start(CodeTask spec) => new(null);

    /// <summary>Runs a submission against the task's hidden tests.</summary>
    public SandboxResult Run(CodeTask task, string source) => _sandbox.Run(source, task.Function, task.Tests);

    /// <inheritdoc />
    protected override StepVerdict CheckStep(CodeTask spec, CodeState state, string step)
    {
        var r = Run(spec, step);
        if (r.Kind != VerdictKind.Ok)
            return new StepVerdict(r.Kind, $"{r.Passed}/{r.Total} tests passed; {r.Detail}", r.Fraction, state, Solvability.Unknown, false);
        return new StepVerdict(VerdictKind.Ok, $"all {r.Total} tests passed", 1.0, new CodeState(step) { Depth = state.Depth + 1 }, Solvability.Unknown, true);
    }

    /// <inheritdoc />
    protected override AnswerVerdict CheckAnswer(CodeTask spec, string answer)
    {
        var r = Run(spec, answer);
        return r.Kind == VerdictKind.Ok
            ? AnswerVerdict.Right($"all {r.Total} tests passed")
            : AnswerVerdict.Wrong(r.Kind, $"{r.Passed}/{r.Total} tests passed; {r.Detail}", r.Fraction);
    }

    /// <inheritdoc />
    protected override Solution? Solve(CodeTask spec) => new([spec.Reference], spec.Reference);
}
