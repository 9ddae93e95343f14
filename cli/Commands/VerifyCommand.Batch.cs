using System.Text.Json;
using System.Text.Json.Nodes;
using Sim.Cli.Serving;
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
            // A row's faults count only once the row has verified: one that turns out bad later is an error line only.
            int rowFaults = 0;
            try
            {
                result = RowVerifier.Verify(line, envOverride, ref rowFaults);
                faults += rowFaults;
            }
            catch (Exception ex) when (SimApp.IsBadInput(ex))
            {
                bad++;
                result = new JsonObject { ["error"] = SimApp.FirstLine(ex.Message) };
            }
            var output = new JsonObject { ["row"] = row };
            foreach (var (k, v) in result) output[k] = v?.DeepClone();
            ctx.Out.WriteLine(output.ToJsonString(Relaxed));
        }
        if (row == 0) throw new InvalidDataException("--batch: the file holds no rows");
        // Both summaries are said; the exit status is the user's (2) when some rows were bad, else the environment's (3).
        if (bad > 0) ctx.Err.WriteLine($"error: {bad} of {row} rows were bad (their lines hold \"error\"); the others were verified");
        if (faults > 0) ctx.Err.WriteLine($"error: an environment failed on {faults} verdicts (kind \"environment_error\")");
        return bad > 0 ? ExitCodes.BadInput : faults > 0 ? ExitCodes.EnvironmentFailed : ExitCodes.Ok;
    }
}
