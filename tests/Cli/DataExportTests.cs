using System.Text.Json.Nodes;
using NUnit.Framework;
using Parquet.Serialization;
using Sim.Agents.Policies;
using Sim.Environments;
using Sim.Systems.Export;

namespace Sim.Tests.Cli;

/// <summary>sim data export: every format, JSONL and Parquet, and DPO pairs that are what they claim.</summary>
public class DataExportTests
{
    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"sim-export-{Environment.ProcessId}-{name}");

    private static List<JsonObject> Export(string format)
    {
        string path = Temp(format + ".jsonl");
        try
        {
            var (code, _, stderr) = CliTests.Run("data", "export", "--format", format, "--out", path, "--agents", "32", "--ticks", "40");
            Assert.That(code, Is.EqualTo(0), stderr);
            return File.ReadAllLines(path).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        }
        finally { File.Delete(path); }
    }

    // Countdown's prompt, "Numbers: a b c d\nGoal: t\n" and then the lines so far, rebuilt as a problem and a state.
    private static (Problem Problem, EnvState State) Replay(IEnvironment env, string prompt)
    {
        var lines = prompt.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var numbers = new JsonArray(lines[0]["Numbers: ".Length..].Split(' ').Select(x => (JsonNode)int.Parse(x)).ToArray());
        int target = int.Parse(lines[1]["Goal: ".Length..]);
        var row = new JsonObject
        {
            ["id"] = "x", ["question"] = "q", ["answer"] = "",
            ["metadata"] = new JsonObject { ["numbers"] = numbers, ["target"] = target, ["allow_rationals"] = false, ["must_use_all"] = false, ["difficulty"] = 2 },
        };
        var p = env.Load(ProblemRecord.Parse(row.ToJsonString()));
        var state = env.Start(p);
        foreach (var step in lines.Skip(2)) state = env.CheckStep(p, state, step).State;
        return (p, state);
    }

    [Test]
    public void DpoPairsChooseAVerifiedLineOverARefutedSibling()
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        var rows = Export("trl-dpo");
        Assert.That(rows, Has.Count.GreaterThan(20));
        foreach (var r in rows)
        {
            var (p, state) = Replay(env, (string)r["prompt"]!);
            string chosen = (string)r["chosen"]!, rejected = (string)r["rejected"]!;
            bool Good(string line) => StepProtocol.Classify(line) == StepKind.Answer
                ? env.CheckAnswer(p, StepProtocol.AnswerOf(line)).Correct
                : env.CheckStep(p, state, line).Valid;
            Assert.That(Good(chosen), Is.True, $"chosen '{chosen}'");
            Assert.That(Good(rejected), Is.False, $"rejected '{rejected}'");
        }
    }

    [Test]
    public void EveryFormatHasItsColumns()
    {
        var sft = Export("trl-sft");
        Assert.That(sft, Is.Not.Empty);
        Assert.That(sft.All(r => r["prompt"] is not null && ((string)r["completion"]!).Contains("Answer:")), Is.True);
        var prm = Export("prm");
        Assert.That(prm.All(r => r["completions"]!.AsArray().Count == r["labels"]!.AsArray().Count), Is.True);
        Assert.That(prm.Any(r => r["labels"]!.AsArray().Any(l => !(bool)l!)), Is.True, "some steps are labelled wrong");
        var gym = Export("reasoning-gym");
        Assert.That(gym, Has.Count.GreaterThanOrEqualTo(5));
        var env = EnvironmentRegistry.Default.Get("countdown");
        foreach (var r in gym.Take(5))
            Assert.That(env.Load(ProblemRecord.Parse(r.ToJsonString())).Answer, Is.EqualTo((string)r["answer"]!), "a reasoning-gym row loads back");
    }

    [Test]
    public void ParquetRoundTripsTheSameRows()
    {
        string jsonl = Temp("rt.jsonl"), parquet = Temp("rt.parquet");
        try
        {
            Assert.That(CliTests.Run("data", "export", "--format", "prm", "--out", jsonl, "--agents", "16", "--ticks", "30").code, Is.EqualTo(0));
            Assert.That(CliTests.Run("data", "export", "--format", "prm", "--out", parquet, "--agents", "16", "--ticks", "30").code, Is.EqualTo(0));
            IList<PrmRow> back;
            string[] columns;
            using (var stream = File.OpenRead(parquet))
            {
                var read = ParquetSerializer.DeserializeAsync<PrmRow>(stream).GetAwaiter().GetResult();
                back = read.Data;
                columns = read.Schema.Fields.Select(f => f.Name).ToArray();
            }
            Assert.That(columns, Is.EqualTo(new[] { "prompt", "completions", "labels" }), "TRL's column names");
            var expected = File.ReadAllLines(jsonl).Select(l => JsonNode.Parse(l)!).ToList();
            Assert.That(back, Has.Count.EqualTo(expected.Count).And.Count.GreaterThan(0));
            for (int i = 0; i < back.Count; i++)
            {
                Assert.That(back[i].Prompt, Is.EqualTo((string)expected[i]["prompt"]!));
                Assert.That(back[i].Completions, Is.EqualTo(expected[i]["completions"]!.AsArray().Select(x => (string)x!)));
                Assert.That(back[i].Labels, Is.EqualTo(expected[i]["labels"]!.AsArray().Select(x => (bool)x!)));
            }
        }
        finally { File.Delete(jsonl); File.Delete(parquet); }
    }

    [Test]
    public void BadArgumentsAreUsageErrors()
    {
        Assert.That(CliTests.Run("data", "export", "--format", "csv", "--out", Temp("a.jsonl")).code, Is.EqualTo(2));
        Assert.That(CliTests.Run("data", "export", "--format", "trl-sft", "--out", Temp("a.txt")).code, Is.EqualTo(2));
        Assert.That(CliTests.Run("data", "export", "--format", "trl-sft", "--replay", Temp("missing.replay"), "--out", Temp("a.jsonl")).code, Is.EqualTo(2));
        Assert.That(CliTests.Run("data", "export", "--format", "trl-sft", "--out", Path.Combine(Temp("no-such-dir"), "a.jsonl")).code, Is.EqualTo(2));
        Assert.That(CliTests.Run("serve", "--host", "bad host", "--port", "0").code, Is.EqualTo(2), "a host typo must not listen on every interface");
    }

    [Test]
    public void AReplayExportsTheRowsOfTheRunItRecorded()
    {
        // A recorded run and a fresh run with the same seed and options finish the same episodes, so the KTO rows a replay
        // yields carry the fresh run's completions, labels and rewards, row for row; only the prompt's wording differs
        // (the replay holds the problem statement, a fresh run writes the transformer's prompt).
        string replay = Temp("run.replay"), fromReplay = Temp("replay-kto.jsonl"), fresh = Temp("fresh-kto.jsonl"), sft = Temp("replay-sft.parquet");
        try
        {
            var run = CliTests.Run("run", "--agents", "16", "--ticks", "30", "--seed", "5", "--out", replay);
            Assert.That(run.code, Is.EqualTo(0), run.stderr);
            Assert.That(CliTests.Run("data", "export", "--replay", replay, "--format", "trl-kto", "--out", fromReplay).code, Is.EqualTo(0));
            Assert.That(CliTests.Run("data", "export", "--format", "trl-kto", "--out", fresh, "--agents", "16", "--ticks", "30", "--seed", "5").code, Is.EqualTo(0));
            var a = File.ReadAllLines(fromReplay).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            var b = File.ReadAllLines(fresh).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            Assert.That(a, Has.Count.EqualTo(b.Count).And.Count.GreaterThan(20));
            for (int i = 0; i < a.Count; i++)
                foreach (var key in new[] { "completion", "label", "reward" })
                    Assert.That(a[i][key]!.ToJsonString(), Is.EqualTo(b[i][key]!.ToJsonString()), $"row {i}, {key}");
            Assert.That(a.Select(r => (bool)r["label"]!), Does.Contain(true).And.Contain(false));

            // The SFT rows are the solved ones, in Parquet as well.
            var (code, stdout, stderr) = CliTests.Run("data", "export", "--replay", replay, "--format", "trl-sft", "--out", sft, "--json");
            Assert.That(code, Is.EqualTo(0), stderr);
            using var stream = File.OpenRead(sft);
            var rows = ParquetSerializer.DeserializeAsync<SftRow>(stream).GetAwaiter().GetResult().Data;
            Assert.That(rows.Select(r => r.Completion), Is.EqualTo(a.Where(r => (bool)r["label"]!).Select(r => (string)r["completion"]!)));
            Assert.That(stdout, Does.Contain($"\"rows\":{rows.Count}"));

            // The tree and problem formats need a fresh run: a usage error, naming the ones a replay gives.
            var prm = CliTests.Run("data", "export", "--replay", replay, "--format", "prm", "--out", Temp("prm.jsonl"));
            Assert.That(prm.code, Is.EqualTo(2));
            Assert.That(prm.stderr, Does.Contain("trl-sft, trl-kto"));
        }
        finally { foreach (var f in new[] { replay, fromReplay, fresh, sft }) File.Delete(f); }
    }

    [Test]
    public void ImportedProblemsAreSearched()
    {
        string set = Temp("set.jsonl"), ok = Temp("set-ok.jsonl");
        try
        {
            var sample = CliTests.Run("envs", "sample", "countdown", "--seed", "5", "--count", "12", "--json");
            // Two bad rows: one that does not parse, and one whose own answer is not its problem's.
            var wrong = JsonNode.Parse(sample.stdout.Split('\n')[0])!.AsObject();
            wrong["answer"] = "1+1";
            File.WriteAllText(set, sample.stdout + "{\"id\":\"bad\",\"question\":\"q\"}\n" + wrong.ToJsonString() + "\n");
            var (code, stdout, _) = CliTests.Run("data", "import", set, "--out", ok, "--json");
            Assert.That(code, Is.EqualTo(2), "two rows were bad");
            var report = JsonNode.Parse(stdout)!;
            Assert.That(((int)report["loaded"]!, (int)report["ground_truth_accepted"]!), Is.EqualTo((12, 12)));
            var errors = report["errors"]!.AsArray().Select(e => e!.ToString()).ToList();
            Assert.That(errors, Has.Count.EqualTo(2));
            Assert.That(errors[0], Does.StartWith("line 13"));
            Assert.That(errors[1], Does.StartWith("line 14").And.Contain("'1+1' is rejected by 'countdown'"));
            var scale = CliTests.Run("scale", "--problems-file", ok, "--search", "bon", "--budget", "2", "--json");
            Assert.That(scale.code, Is.EqualTo(0), scale.stderr);
            Assert.That((int)JsonNode.Parse(scale.stdout)!["problems"]!, Is.EqualTo(12));
            Assert.That(CliTests.Run("scale", "--problems-file", set, "--search", "bon", "--budget", "1").code, Is.EqualTo(2));
        }
        finally { File.Delete(set); File.Delete(ok); }
    }
}
