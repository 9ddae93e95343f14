using System.Text.Json.Nodes;
using NUnit.Framework;
using Sim.Agents.Data;
using Sim.Cli;

namespace Sim.Tests.Agents;

public class AgentCommandsTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), $"sim-agents-cli-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static (int Code, string Out, string Err) Run(params string[] args) => Cli.CliTests.Run(args);

    [Test]
    public void DemosWriteTrlRowsDeterministically()
    {
        string a = Path.Combine(_dir, "a.jsonl"), b = Path.Combine(_dir, "b.jsonl");
        var r = Run("data", "demos", "--env", "countdown", "--style", "sos", "--count", "20", "--difficulty", "1", "--out", a, "--seed", "4");
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        Run("data", "demos", "--env", "countdown", "--style", "sos", "--count", "20", "--difficulty", "1", "--out", b, "--seed", "4");
        Assert.That(File.ReadAllBytes(a), Is.EqualTo(File.ReadAllBytes(b)));
        var rows = JsonlDataset.Read(a);
        Assert.That(rows, Has.Count.EqualTo(20));
        var first = JsonNode.Parse(File.ReadLines(a).First())!;
        Assert.That((string?)first["problem"]!["metadata"]!["env"], Is.EqualTo("countdown"));
    }

    [TestCase("data", "demos", "--env", "nope", "--style", "sos", "--out", "x.jsonl")]
    [TestCase("data", "demos", "--env", "countdown", "--style", "weird", "--out", "x.jsonl")]
    [TestCase("data", "demos", "--env", "countdown", "--style", "sos", "--count", "0", "--out", "x.jsonl")]
    [TestCase("train", "sft", "--data", "/no/such/file.jsonl", "--out", "ckpt")]
    [TestCase("train", "rm", "--kind", "nope", "--out", "ckpt")]
    public void BadInputExitsWithTwo(params string[] args)
    {
        var r = Run(args);
        Assert.That(r.Code, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.StartWith("error:"));
    }

    [Test]
    public void CorruptDatasetIsBadInput()
    {
        string data = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllText(data, "{\"prompt\": \"x\"}\n");
        var r = Run("train", "sft", "--data", data, "--out", Path.Combine(_dir, "ckpt"), "--steps", "1");
        Assert.That(r.Code, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain("bad.jsonl:1"));
    }

    [Test]
    public void SftTrainsSavesAndEvaluates()
    {
        string data = Path.Combine(_dir, "opt.jsonl"), ckpt = Path.Combine(_dir, "ckpt");
        Assert.That(Run("data", "demos", "--env", "countdown", "--style", "optimal", "--count", "32", "--difficulty", "1", "--out", data).Code, Is.EqualTo(0));
        var r = Run("train", "sft", "--data", data, "--out", ckpt, "--steps", "3", "--batch", "8", "--layers", "1", "--width", "32", "--heads", "2",
            "--context", "96", "--eval-env", "countdown", "--eval-count", "4", "--eval-difficulty", "1", "--json");
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        var summary = JsonNode.Parse(r.Out)!;
        Assert.That((int)summary["eval_problems"]!, Is.EqualTo(4));
        Assert.That((double)summary["greedy_solve_share"]!, Is.InRange(0.0, 1.0));
        Assert.That(File.Exists(Path.Combine(ckpt, "model.bin")) && File.Exists(Path.Combine(ckpt, "tokenizer.json")), Is.True);
    }

    [Test]
    public void RewardModelTrainsAndReportsCalibration()
    {
        var r = Run("train", "rm", "--kind", "prm", "--env", "countdown", "--difficulty", "1", "--problems", "20", "--rollouts", "2",
            "--steps", "3", "--batch", "8", "--layers", "1", "--width", "32", "--heads", "2", "--context", "96", "--out", Path.Combine(_dir, "rm"), "--json");
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        var s = JsonNode.Parse(r.Out)!;
        Assert.That((double)s["step_ece"]!, Is.InRange(0.0, 1.0));
        Assert.That((int)s["step_count"]!, Is.GreaterThan(0));
    }

    [Test]
    public void TrainRmLearnsFromThePolicyItWillJudgeAndSaysWhenUsedForAnother()
    {
        string dir = Path.Combine(_dir, "orm-policy");
        var r = Run("train", "rm", "--kind", "orm", "--env", "countdown", "--difficulty", "1", "--policy", "simulated:skill=0.4", "--problems", "20",
            "--rollouts", "2", "--steps", "3", "--batch", "8", "--layers", "1", "--width", "32", "--heads", "2", "--context", "96", "--out", dir, "--json");
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        var s = JsonNode.Parse(r.Out)!;
        Assert.That((string?)s["policy"], Is.EqualTo("simulated:skill=0.4"));
        Assert.That((string?)s["source"], Is.EqualTo("policy"));
        Assert.That((double)s["outcome_auc"]!, Is.InRange(0.0, 1.0));
        // Used for the policy it learned: quiet. For another: one warning, and the run goes on.
        var same = Run("scale", "--env", "countdown", "--difficulty", "1", "--policy", "simulated:skill=0.4", "--search", "bon", "--budget", "2",
            "--problems", "5", "--guidance", "rm", "--rm", dir, "--json");
        Assert.That(same.Code, Is.EqualTo(0), same.Err);
        Assert.That(same.Err, Does.Not.Contain("warning"));
        var other = Run("scale", "--env", "countdown", "--difficulty", "1", "--policy", "simulated:skill=0.9", "--search", "bon", "--budget", "2",
            "--problems", "5", "--guidance", "rm", "--rm", dir, "--json");
        Assert.That(other.Code, Is.EqualTo(0), other.Err);
        Assert.That(other.Err.Split('\n').Count(l => l.Contains("warning")), Is.EqualTo(1));
        Assert.That(other.Err, Does.Contain("simulated:skill=0.4"));
    }

    [Test]
    public void MonteCarloLabelsAreShares()
    {
        var env = Sim.Environments.EnvironmentRegistry.Default.Get("countdown");
        var policy = new Sim.Agents.Policies.SimulatedPolicy(new Sim.Agents.Policies.SimulatedPolicyConfig(AttemptSkill: 0.5));
        var problems = Enumerable.Range(0, 6).Select(i => env.Sample((ulong)i, 1)).ToArray();
        var data = new Sim.Agents.Scoring.PolicySampler(policy, Sim.Agents.Scoring.StepLabels.MonteCarlo, completions: 4).Generate(env, problems, 3, 7);
        var labels = data.SelectMany(t => t.StepValues.Take(t.Lines.Count - 1)).Where(v => !float.IsNaN(v)).ToList();
        Assert.That(labels, Is.Not.Empty);
        Assert.That(labels.All(v => v is 0 or 0.25f or 0.5f or 0.75f or 1), Is.True, "a share of 4 completions");
        Assert.That(labels.Distinct().Count(), Is.GreaterThan(2), "soft labels, not only 0 and 1");
        var again = new Sim.Agents.Scoring.PolicySampler(policy, Sim.Agents.Scoring.StepLabels.MonteCarlo, completions: 4).Generate(env, problems, 3, 7);
        Assert.That(again.Select(t => string.Join("|", t.Lines)), Is.EqualTo(data.Select(t => string.Join("|", t.Lines))), "deterministic");
    }

    // A pairs file of an easy constructed case: five words a line, the gold reward #good − #bad, the better line chosen.
    private string WritePairs(string name, int n, ulong seed)
    {
        string[] words = ["red", "blue", "green", "good", "bad"];
        var rng = new Sim.Engine.Rng(seed);
        string Line(out int gold)
        {
            var w = Enumerable.Range(0, 5).Select(_ => words[rng.NextInt(words.Length)]).ToArray();
            gold = w.Count(x => x == "good") - w.Count(x => x == "bad");
            return string.Join(" ", w);
        }
        var rows = new List<string>();
        while (rows.Count < n)
        {
            string a = Line(out int ga), b = Line(out int gb);
            if (ga == gb) continue;
            var row = new JsonObject { ["prompt"] = $"Rate {rows.Count % 40}:\n", ["chosen"] = ga > gb ? a : b, ["rejected"] = ga > gb ? b : a };
            rows.Add(row.ToJsonString());
        }
        string path = Path.Combine(_dir, name);
        File.WriteAllLines(path, rows);
        return path;
    }

    private static readonly string[] Tiny = ["--batch", "16", "--layers", "1", "--width", "32", "--heads", "2"];

    [Test]
    public void BradleyTerryOnAPairsFileAgreesWithItsHeldOutPreferences()
    {
        string dir = Path.Combine(_dir, "bt-file");
        var r = Run(["train", "rm", "--kind", "bt", "--pairs", WritePairs("pairs.jsonl", 300, 1), "--steps", "50", "--lr", "5e-3", "--context", "48", .. Tiny, "--out", dir, "--json"]);
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        var s = JsonNode.Parse(r.Out)!;
        Assert.That((string?)s["kind"], Is.EqualTo("bt"));
        Assert.That((string?)s["source"], Is.EqualTo("pairs"));
        Assert.That(s["env"], Is.Null);
        Assert.That((int)s["test_pairs"]!, Is.GreaterThanOrEqualTo(30));
        Assert.That((double)s["agreement_gold"]!, Is.GreaterThan(0.8));
        Assert.That(s["agreement_judge"], Is.Null, "no judge labelled these pairs");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!;
        Assert.That((string?)config["kind"], Is.EqualTo("bt"));
        Assert.That((string?)config["trained_on"]!["source"], Is.EqualTo("pairs"));
    }

    [Test]
    public void BradleyTerryOnTheJudgeReportsAgreementWithTheJudgeAndWithGold()
    {
        var r = Run(["train", "rm", "--kind", "bt", "--env", "judge", "--difficulty", "1", "--problems", "40", "--rollouts", "4", "--steps", "40",
            "--lr", "5e-3", "--context", "256", .. Tiny, "--out", Path.Combine(_dir, "bt-judge"), "--json"]);
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        var s = JsonNode.Parse(r.Out)!;
        Assert.That((string?)s["source"], Is.EqualTo("judge"));
        Assert.That((int)s["gold_pairs"]!, Is.GreaterThan(20));
        Assert.That((double)s["agreement_gold"]!, Is.GreaterThan(0.75));
        Assert.That((double)s["agreement_judge"]!, Is.GreaterThan(0.6));
        Assert.That((double)s["outcome_auc"]!, Is.GreaterThan(0.75));
    }

    [Test]
    public void IrlFromDemonstrationsRanksThePolicysCorrectSamplesHigher()
    {
        string demos = Path.Combine(_dir, "demos.jsonl");
        Assert.That(Run("data", "demos", "--env", "countdown", "--style", "optimal", "--count", "40", "--difficulty", "1", "--out", demos).Code, Is.EqualTo(0));
        var r = Run(["train", "rm", "--kind", "irl", "--env", "countdown", "--demos", demos, "--problems", "40", "--rollouts", "4", "--steps", "40",
            "--lr", "5e-3", "--context", "96", .. Tiny, "--out", Path.Combine(_dir, "irl"), "--json"]);
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        var s = JsonNode.Parse(r.Out)!;
        Assert.That((string?)s["kind"], Is.EqualTo("irl"));
        Assert.That((int)s["difficulty"]!, Is.EqualTo(1), "the demonstrations' difficulty");
        Assert.That((double)s["outcome_auc"]!, Is.GreaterThan(0.7));
        Assert.That((double)s["agreement_gold"]!, Is.GreaterThan(0.7));
    }

    [Test]
    public void BadPreferenceInputExitsWithTwo()
    {
        string empty = Path.Combine(_dir, "empty.jsonl"), notJson = Path.Combine(_dir, "notjson.jsonl"), noRejected = Path.Combine(_dir, "norej.jsonl"),
            blank = Path.Combine(_dir, "blank.jsonl");
        File.WriteAllText(empty, "\n");
        File.WriteAllText(notJson, "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\nnot json\n");
        File.WriteAllText(noRejected, "{\"prompt\": \"p\", \"chosen\": \"a\"}\n");
        File.WriteAllText(blank, "{\"prompt\": \"p\", \"chosen\": \"\", \"rejected\": \"b\"}\n");
        string ckpt = Path.Combine(_dir, "ckpt");
        foreach (var (args, says) in new (string[], string)[]
        {
            (["--kind", "bt", "--pairs", Path.Combine(_dir, "missing.jsonl")], "not found"),
            (["--kind", "bt", "--pairs", empty], "no pairs"),
            (["--kind", "bt", "--pairs", notJson], "notjson.jsonl:2"),
            (["--kind", "bt", "--pairs", noRejected], "norej.jsonl:1"),
            (["--kind", "bt", "--pairs", blank], "blank.jsonl:1"),
            (["--kind", "orm", "--pairs", empty], "--pairs"),
            (["--kind", "irl", "--demos", Path.Combine(_dir, "missing.jsonl")], "not found"),
            (["--kind", "bt", "--source", "generator"], "--source"),
            (["--kind", "bt", "--env", "countdown", "--rollouts", "1"], "--rollouts"),
        })
        {
            var r = Run(["train", "rm", .. args, "--steps", "1", "--out", ckpt]);
            Assert.That(r.Code, Is.EqualTo(2), string.Join(" ", args) + ": " + r.Err);
            Assert.That(r.Err, Does.StartWith("error:"));
            Assert.That(r.Err.Trim().Split('\n'), Has.Length.EqualTo(1), "one line");
            Assert.That(r.Err, Does.Contain(says));
        }
        Assert.That(Directory.Exists(ckpt), Is.False, "nothing written");
    }
}
