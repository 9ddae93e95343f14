using Sim.Agents.Learning;
using Sim.Agents.Learning.Learners;
using Sim.Agents.Scoring;

namespace Sim.Cli.Commands;

/// <summary>Reads a DPO pair file (JSONL rows with prompt, chosen and rejected, as TRL and <c>sim data export --format
/// trl-dpo</c> write them; parsed by <see cref="PreferenceData.Read"/>) into step preferences for the transformer
/// learner: each completion, its lines joined with the delimiter and closed with the end token, is one step.</summary>
public static class PairFile
{
    /// <summary>Reads <paramref name="path"/>; throws <see cref="UsageException"/> naming the first bad line.</summary>
    public static List<StepPreference> Read(string path, TransformerLearner learner)
    {
        List<PreferencePair> rows;
        try { rows = PreferenceData.Read(path); }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException) { throw new UsageException($"--pairs: {SimApp.FirstLine(e.Message)}"); }
        var pairs = new List<StepPreference>(rows.Count);
        foreach (var r in rows)
        {
            try { pairs.Add(new StepPreference(learner.Encode(r.Chosen.Prompt, Completion(r.Chosen)), learner.Encode(r.Rejected.Prompt, Completion(r.Rejected)))); }
            catch (ArgumentException e) { throw new UsageException($"--pairs: {path}: {e.Message}"); }
        }
        return pairs;
    }

    private static string Completion(TextTrajectory t) => string.Join("\n", t.Lines) + "\n";
}
