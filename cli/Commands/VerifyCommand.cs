using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sim.Environments;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim verify --env NAME --problem FILE --steps FILE [--answer FILE] [--json]</c>: checks an agent's steps (one per
/// line, from the problem's start state, each from the state the previous valid step left) and optionally its final
/// answer, printing one verdict per step and one for the answer (one JSON object per line with <c>--json</c>).
/// FILE may be <c>-</c> for stdin (once). The problem file is what <c>sim envs sample --json</c> prints, or one JSONL row;
/// <c>--env</c> defaults to the problem's <c>metadata.env</c>. Blank step lines are skipped; a step line that is a JSON
/// string (<c>"..."</c>) is decoded, so a multi-line step (code) fits on one line. Rejected steps and wrong or hostile
/// answers are verdicts (exit 0); unreadable input exits 2.
/// </summary>
public static partial class VerifyCommand
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The largest input file read (a hostile-input guard).</summary>
    public const int MaxFileChars = 16 << 20;

    /// <summary>Builds the command.</summary>
    public static Command Create(CommandFactory f)
    {
        var env = new Option<string?>("--env") { Description = "Environment name (default: the problem's metadata.env)" };
        var problem = new Option<string?>("--problem") { Description = "Problem file (JSON or one JSONL row), or - for stdin" };
        var batch = new Option<string?>("--batch") { Description = "JSONL file (or - for stdin) of {env, problem, steps, answer} rows: one verdict line per row; bad rows get an error line and the rest go on" };
        var steps = new Option<string?>("--steps") { Description = "Steps file, one step per line, or - for stdin" };
        var answer = new Option<string?>("--answer") { Description = "Final answer file, or - for stdin" };
        return f.Make("verify", "Check steps and a final answer against a problem; prints one verdict per step and one for the answer", ctx =>
        {
            if (ctx.Get(batch) is { } batchPath)
            {
                if (ctx.Get(problem) is not null || ctx.Get(steps) is not null || ctx.Get(answer) is not null)
                    throw new UsageException("--batch takes its problems, steps and answers from its rows: give no --problem, --steps or --answer");
                return Batch(ctx, batchPath, ctx.Get(env));
            }
            string problemPath = ctx.Get(problem) ?? throw new UsageException("give --problem FILE (or --batch FILE.jsonl)");
            string? stepsPath = ctx.Get(steps), answerPath = ctx.Get(answer);
            if (stepsPath is null && answerPath is null) throw new UsageException("give --steps FILE, --answer FILE, or both");
            if (new[] { problemPath, stepsPath, answerPath }.Count(p => p == "-") > 1) throw new UsageException("only one of --problem, --steps and --answer may be '-' (stdin)");

            var record = ReadProblem(ReadAll(problemPath, "--problem"));
            string? name = ctx.Get(env);
            Problem p;
            try
            {
                p = EnvironmentRegistry.Default.Load(record, name);
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"--problem: {ex.Message}");
            }
            var environment = EnvironmentRegistry.Default.Get(p.Env);

            var state = environment.Start(p);
            string? fault = null;
            if (stepsPath is not null)
            {
                int index = 0, lineNo = 0;
                foreach (var raw in ReadAll(stepsPath, "--steps").Split('\n'))
                {
                    lineNo++;
                    string line = raw.TrimEnd('\r');
                    if (string.IsNullOrWhiteSpace(line)) continue;
                    string step = DecodeStep(line);
                    var v = EnvironmentGuard.CheckStep(environment, p, state, step);
                    if (v.Kind == VerdictKind.EnvironmentError) fault ??= v.Reason;
                    if (v.Valid) state = v.State;
                    index++;
                    if (ctx.Json)
                    {
                        ctx.Out.WriteLine(new JsonObject
                        {
                            ["step"] = index,
                            ["line"] = lineNo,
                            ["text"] = step,
                            ["valid"] = v.Valid,
                            ["kind"] = Snake(v.Kind),
                            ["reason"] = v.Reason,
                            ["process_reward"] = v.ProcessReward,
                            ["solvable"] = v.SolvableFromHere.ToString().ToLowerInvariant(),
                            ["terminal"] = v.Terminal,
                            ["state"] = v.State.ToString(),
                        }.ToJsonString(Relaxed));
                    }
                    else
                    {
                        ctx.Out.WriteLine($"step {index}: {(v.Valid ? "valid" : "INVALID")} ({Snake(v.Kind)}) reward {v.ProcessReward:0.###} " +
                                          $"solvable {v.SolvableFromHere.ToString().ToLowerInvariant()}{(v.Terminal ? " terminal" : "")}: {v.Reason}  -> {v.State}");
                    }
                }
            }
            if (answerPath is not null)
            {
                string text = ReadAll(answerPath, "--answer").TrimEnd('\r', '\n');
                var a = EnvironmentGuard.CheckAnswer(environment, p, text);
                if (a.Kind == VerdictKind.EnvironmentError) fault ??= a.Reason;
                if (ctx.Json)
                {
                    var o = new JsonObject
                    {
                        ["answer"] = text,
                        ["correct"] = a.Correct,
                        ["kind"] = Snake(a.Kind),
                        ["reason"] = a.Reason,
                        ["reward"] = a.Reward,
                        ["score"] = a.Score,
                    };
                    if (a.GoldReward is { } g) o["gold_reward"] = g;
                    ctx.Out.WriteLine(o.ToJsonString(Relaxed));
                }
                else
                {
                    ctx.Out.WriteLine($"answer: {(a.Correct ? "CORRECT" : "wrong")} ({Snake(a.Kind)}) reward {a.Reward:0.###} score {a.Score:0.###}" +
                                      $"{(a.GoldReward is { } g ? $" gold {g:0.###}" : "")}: {a.Reason}");
                }
            }
            // Every verdict is printed first; then an environment's failure is named and exits 3 (not the user's fault).
            if (fault is not null)
            {
                ctx.Err.WriteLine($"error: {fault}");
                return ExitCodes.EnvironmentFailed;
            }
            return ExitCodes.Ok;
        }, env, problem, steps, answer, batch);
    }

    internal static string ReadAll(string path, string what)
    {
        TextReader reader;
        if (path == "-") reader = Console.In;
        else
        {
            if (Directory.Exists(path)) throw new UsageException($"{what}: '{path}' is a directory");
            if (!File.Exists(path)) throw new FileNotFoundException($"{what}: no such file '{path}'");
            reader = new StreamReader(path);
        }
        try
        {
            var buffer = new char[MaxFileChars + 1];
            int total = 0, read;
            while (total <= MaxFileChars && (read = reader.Read(buffer, total, buffer.Length - total)) > 0) total += read;
            if (total > MaxFileChars) throw new InvalidDataException($"{what}: input larger than {MaxFileChars} characters");
            return new string(buffer, 0, total);
        }
        finally
        {
            if (path != "-") reader.Dispose();
        }
    }

    internal static ProblemRecord ReadProblem(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0) throw new InvalidDataException("--problem: the file is empty");
        // One JSON document (possibly pretty-printed), or JSONL with exactly one non-blank row.
        try
        {
            return ProblemRecord.Parse(trimmed);
        }
        catch (InvalidDataException) when (trimmed.Contains('\n'))
        {
            var rows = trimmed.Split('\n').Where(l => !string.IsNullOrWhiteSpace(l)).ToArray();
            if (rows.Length > 1 && rows.All(r => r.TrimStart().StartsWith('{')))
                throw new InvalidDataException($"--problem: the file holds {rows.Length} JSONL rows; give one problem");
            throw;
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"--problem: {ex.Message}");
        }
    }

    private static string DecodeStep(string line)
    {
        if (line.Length >= 2 && line[0] == '"' && line.TrimEnd()[^1] == '"')
        {
            try { return JsonSerializer.Deserialize<string>(line) ?? line; }
            catch (JsonException) { return line; }
        }
        return line;
    }

    private static string Snake(VerdictKind k) => JsonNamingPolicy.SnakeCaseLower.ConvertName(k.ToString());
}
