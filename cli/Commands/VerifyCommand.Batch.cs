using System.Text.Json;
using System.Text.Json.Nodes;
using Sim.Environments;

namespace Sim.Cli.Commands;

public static partial class VerifyCommand
{
    /// <summary>
    /// <c>sim verify --batch FILE.jsonl</c>: one row per line, <c>{"env": NAME?, "problem": ROW, "steps": [...]?, "answer": "..."?}</c>
    /// with ROW a reasoning-gym row (as <c>sim envs sample --json</c> prints it). Writes one JSON line per row, in order:
    /// <c>{"row", "env", "id", "steps": [verdicts], "answer": verdict}</c>, or <c>{"row", "error"}</c> for a row that
    /// cannot be read, and goes on. Exit 0 when every row was verified, 2 when some rows were bad (the last line on
    /// stderr says how many), 3 when an environment failed on some row.
    /// </summary>
    private static int Batch(CliContext ctx, string path, string? envOverride)
    {
        string text = ReadAll(path, "--batch");
        int row = 0, bad = 0, faults = 0;
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line)) continue;
            row++;
            JsonObject result;
            try { result = VerifyRow(line, envOverride, ref faults); }
            catch (Exception ex) when (SimApp.IsBadInput(ex))
            {
                bad++;
                result = new JsonObject { ["error"] = OneLine(ex.Message) };
            }
            var output = new JsonObject { ["row"] = row };
            foreach (var (k, v) in result) output[k] = v?.DeepClone();
            ctx.Out.WriteLine(output.ToJsonString(Relaxed));
        }
        if (row == 0) throw new InvalidDataException("--batch: the file holds no rows");
        if (bad > 0)
        {
            ctx.Err.WriteLine($"error: {bad} of {row} rows were bad (their lines hold \"error\"); the others were verified");
            return ExitCodes.BadInput;
        }
        if (faults > 0)
        {
            ctx.Err.WriteLine($"error: an environment failed on {faults} verdicts (kind \"environment_error\")");
            return ExitCodes.EnvironmentFailed;
        }
        return ExitCodes.Ok;
    }

    private static JsonObject VerifyRow(string line, string? envOverride, ref int faults)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(line); }
        catch (JsonException ex) { throw new InvalidDataException($"not JSON: {ex.Message}"); }
        if (node is not JsonObject o) throw new InvalidDataException("a row must be a JSON object {env, problem, steps, answer}");
        if (o["problem"] is not JsonObject problemRow) throw new InvalidDataException("the row has no \"problem\" object (a reasoning-gym row)");
        string? envName = envOverride ?? (o["env"] is JsonValue ev && ev.TryGetValue<string>(out var en) ? en : null);
        var p = EnvironmentRegistry.Default.Load(ProblemRecord.Parse(problemRow.ToJsonString()), envName);
        var env = EnvironmentRegistry.Default.Get(p.Env);
        var result = new JsonObject { ["env"] = env.Name, ["id"] = p.Id };
        if (o["steps"] is JsonArray steps)
        {
            var verdicts = new JsonArray();
            var state = env.Start(p);
            foreach (var s in steps)
            {
                string step = s is JsonValue sv && sv.TryGetValue<string>(out var st) ? st : throw new InvalidDataException("\"steps\" must hold strings");
                var v = EnvironmentGuard.CheckStep(env, p, state, step);
                if (v.Kind == VerdictKind.EnvironmentError) faults++;
                if (v.Valid) state = v.State;
                verdicts.Add(new JsonObject
                {
                    ["valid"] = v.Valid, ["kind"] = Snake(v.Kind), ["reason"] = v.Reason, ["process_reward"] = v.ProcessReward,
                    ["solvable"] = v.SolvableFromHere.ToString().ToLowerInvariant(), ["terminal"] = v.Terminal,
                });
            }
            result["steps"] = verdicts;
        }
        else if (o.ContainsKey("steps")) throw new InvalidDataException("\"steps\" must be an array of strings");
        if (o["answer"] is JsonValue av && av.TryGetValue<string>(out var answer))
        {
            var a = EnvironmentGuard.CheckAnswer(env, p, answer);
            if (a.Kind == VerdictKind.EnvironmentError) faults++;
            var verdict = new JsonObject { ["correct"] = a.Correct, ["kind"] = Snake(a.Kind), ["reason"] = a.Reason, ["reward"] = a.Reward, ["score"] = a.Score };
            if (a.GoldReward is { } g) verdict["gold_reward"] = g;
            result["answer"] = verdict;
        }
        else if (o.ContainsKey("answer")) throw new InvalidDataException("\"answer\" must be a string");
        if (!result.ContainsKey("steps") && !result.ContainsKey("answer")) throw new InvalidDataException("the row has neither \"steps\" nor \"answer\"");
        return result;
    }

    private static string OneLine(string message)
    {
        int nl = message.IndexOfAny(['\r', '\n']);
        return nl < 0 ? message : message[..nl];
    }
}
