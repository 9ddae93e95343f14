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
}
