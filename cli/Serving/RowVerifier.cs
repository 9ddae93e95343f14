using System.Text.Json;
using System.Text.Json.Nodes;
using Sim.Environments;

namespace Sim.Cli.Serving;

/// <summary>
/// Verifies <c>{env, problem, steps, answer}</c> rows with Sim's environments: the one path behind
/// <c>sim verify --batch</c> and the reward service's <c>/verify</c> endpoints.
/// </summary>
public static class RowVerifier
{
    /// <summary>Verifies one row given as JSON text; see <see cref="Verify(JsonObject, string?, ref int)"/>.</summary>
    public static JsonObject Verify(string line, string? envOverride, ref int faults)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(line); }
        catch (JsonException ex) { throw new InvalidDataException($"not JSON: {ex.Message}"); }
        if (node is not JsonObject o) throw new InvalidDataException("a row must be a JSON object {env, problem, steps, answer}");
        return Verify(o, envOverride, ref faults);
    }

    /// <summary>
    /// Verifies one <c>{"env"?, "problem": ROW, "steps"?: [...], "answer"?: "..."}</c> row: the environment's verdict on
    /// each step (from the problem's start state, each from the state the last valid step left) and on the answer,
    /// with their process and outcome rewards. Counts the environment's own failures in <paramref name="faults"/>;
    /// throws <see cref="InvalidDataException"/> (or another bad-input exception) with a one-line reason for a bad row.
    /// </summary>
    public static JsonObject Verify(JsonObject o, string? envOverride, ref int faults)
    {
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
                    ["valid"] = v.Valid, ["kind"] = VerdictName(v.Kind), ["reason"] = v.Reason, ["process_reward"] = v.ProcessReward,
                    ["solvable"] = v.SolvableFromHere.ToString().ToLowerInvariant(), ["terminal"] = v.Terminal,
                });
            }
            result["steps"] = verdicts;
            result["process_rewards"] = new JsonArray(verdicts.Select(v => (JsonNode)JsonValue.Create((double)v!["process_reward"]!)).ToArray());
        }
        else if (o.ContainsKey("steps")) throw new InvalidDataException("\"steps\" must be an array of strings");
        if (o["answer"] is JsonValue av && av.TryGetValue<string>(out var answer))
        {
            var a = EnvironmentGuard.CheckAnswer(env, p, answer);
            if (a.Kind == VerdictKind.EnvironmentError) faults++;
            var verdict = new JsonObject { ["correct"] = a.Correct, ["kind"] = VerdictName(a.Kind), ["reason"] = a.Reason, ["reward"] = a.Reward, ["score"] = a.Score };
            if (a.GoldReward is { } g) verdict["gold_reward"] = g;
            result["answer"] = verdict;
            result["outcome_reward"] = a.Reward;
        }
        else if (o.ContainsKey("answer")) throw new InvalidDataException("\"answer\" must be a string");
        if (!result.ContainsKey("steps") && !result.ContainsKey("answer")) throw new InvalidDataException("the row has neither \"steps\" nor \"answer\"");
        return result;
    }

    /// <summary>A verdict kind as the JSON outputs write it (<c>environment_error</c>).</summary>
    public static string VerdictName(VerdictKind k) => JsonNamingPolicy.SnakeCaseLower.ConvertName(k.ToString());
}
