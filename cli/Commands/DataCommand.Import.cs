using System.CommandLine;
using System.Text.Json;
using Sim.Environments;

namespace Sim.Cli.Commands;

public static partial class DataCommand
{
    /// <summary>
    /// Loads a problem set of reasoning-gym style rows (<c>{id, question, answer, metadata}</c>, one a line) with the
    /// environment that verifies them: <paramref name="envName"/>, or each row's <c>metadata.env</c>. Bad rows (ones that
    /// do not load, and ones whose own <c>answer</c> the environment's answer verifier rejects) are reported by line in
    /// <paramref name="errors"/> and left out.
    /// </summary>
    public static List<Problem> LoadProblemSet(string path, string? envName, List<string> errors)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"problem set '{path}' not found");
        var problems = new List<Problem>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                var record = ProblemRecord.Parse(line);
                var problem = EnvironmentRegistry.Default.Load(record, envName);
                // The row's own answer, not the one the environment rebuilds from the metadata: a dataset whose answers
                // disagree with its problems must not pass as verified.
                var verdict = EnvironmentGuard.CheckAnswer(EnvironmentRegistry.Default.Get(problem.Env), problem, record.Answer);
                if (verdict.Kind == VerdictKind.EnvironmentError) throw new EnvironmentFaultException(verdict.Reason ?? "environment error");
                if (!verdict.Correct)
                {
                    errors.Add($"line {lineNo}: its answer '{Clip(record.Answer)}' is rejected by '{problem.Env}' ({verdict.Reason})");
                    continue;
                }
                problems.Add(problem);
            }
            catch (Exception ex) when (ex is InvalidDataException or ArgumentException or FormatException)
            {
                errors.Add($"line {lineNo}: {SimApp.FirstLine(ex.Message)}");
            }
        }
        return problems;
    }

    private static string Clip(string s) => s.Length <= 60 ? s : s[..60] + "...";

    // `sim data import FILE.jsonl [--env E] [--out FILE.jsonl]`: checks that an external dataset's rows rebuild problems an
    // environment can verify (each row's ground truth is run through its answer verifier), reports bad rows by line,
    // and writes the good ones as Sim's rows, ready for `sim scale --problems-file`.
    private static Command Import(CommandFactory f)
    {
        var file = new Argument<string>("file") { Description = "JSONL of reasoning-gym style rows {id, question, answer, metadata}" };
        var env = new Option<string?>("--env") { Description = "Environment that verifies the rows (default: each row's metadata.env)" };
        var output = new Option<string?>("--out") { Description = "Write the rows that load, normalised, to this JSONL file" };
        return f.Make("import", "Check an external problem set (reasoning-gym rows) against an environment, and write the rows it can verify", ctx =>
        {
            var errors = new List<string>();
            var problems = LoadProblemSet(ctx.Get(file)!, ctx.Get(env), errors);
            if (problems.Count == 0) throw new InvalidDataException($"no row of '{ctx.Get(file)}' loads{(errors.Count > 0 ? $" (first: {errors[0]})" : "")}");
            if (ctx.Get(output) is { } outPath)
                WriteThroughTemp(outPath, tmp => File.WriteAllLines(tmp, problems.Select(p => p.ToRecord().ToJson())));
            if (ctx.Json)
                ctx.Out.WriteLine(JsonSerializer.Serialize(new { rows = problems.Count + errors.Count, loaded = problems.Count, ground_truth_accepted = problems.Count, errors }));
            else
            {
                ctx.Out.WriteLine($"import: {problems.Count} of {problems.Count + errors.Count} rows load, and the environment accepts each one's answer");
                foreach (var e in errors.Take(20)) ctx.Err.WriteLine($"bad row: {e}");
            }
            return errors.Count == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
        }, file, env, output);
    }
}
