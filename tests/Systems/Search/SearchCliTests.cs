using System.Text.Json;
using Sim.Cli;
using Sim.Tests.Cli;

namespace Sim.Tests.Systems.Search;

public class SearchCliTests
{
    [Test]
    public void RunPrintsASummaryAndIsReproducible()
    {
        string[] args = ["run", "--agents", "32", "--ticks", "20", "--seed", "4", "--json"];
        var a = CliTests.Run(args);
        var b = CliTests.Run(args);
        Assert.That(a.code, Is.EqualTo(ExitCodes.Ok), a.stderr);
        using var ja = JsonDocument.Parse(a.stdout);
        using var jb = JsonDocument.Parse(b.stdout);
        var root = ja.RootElement;
        Assert.That(root.GetProperty("search").GetString(), Is.EqualTo("mcts"));
        Assert.That(root.GetProperty("episodes").GetInt64(), Is.GreaterThan(0));
        // The default policy (skill 0.3, problems of varied difficulty) with two attempts' budget solves about half.
        Assert.That(root.GetProperty("solve_rate").GetDouble(), Is.InRange(0.25, 0.8));
        Assert.That(root.GetProperty("steps_per_s").GetDouble(), Is.GreaterThan(0));
        Assert.That(root.GetProperty("state_hash").GetString(), Is.EqualTo(jb.RootElement.GetProperty("state_hash").GetString()));
    }

    [Test]
    public void RunWritesAReproducibleReplayWithTreesAndEpisodes()
    {
        string a = Path.Combine(Path.GetTempPath(), $"sim-run-a-{Environment.ProcessId}.replay");
        string b = Path.Combine(Path.GetTempPath(), $"sim-run-b-{Environment.ProcessId}.replay");
        string jsonl = Path.Combine(Path.GetTempPath(), $"sim-run-{Environment.ProcessId}.jsonl");
        try
        {
            foreach (var path in new[] { a, b })
            {
                var (code, _, stderr) = CliTests.Run("run", "--agents", "16", "--ticks", "15", "--seed", "3", "--out", path, "--json");
                Assert.That(code, Is.EqualTo(ExitCodes.Ok), stderr);
            }
            Assert.That(CliTests.Run("replay", "verify", a).code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(CliTests.Run("replay", "diff", a, b).code, Is.EqualTo(ExitCodes.Ok), "same seed, same replay");
            var export = CliTests.Run("replay", "export", a, "--jsonl", jsonl);
            Assert.That(export.code, Is.EqualTo(ExitCodes.Ok), export.stderr);
            var first = JsonDocument.Parse(File.ReadLines(jsonl).First()).RootElement;
            Assert.That(first.GetProperty("completion").GetString(), Does.Contain("Answer:"));
        }
        finally
        {
            File.Delete(a);
            File.Delete(b);
            File.Delete(jsonl);
        }
    }

    [Test]
    public void RecordedTreesAreWholeAtEveryTick()
    {
        // Regression: an episode's end and the next one's start fell in one tick, and the reader applies a tick's
        // clears before its nodes, so finished trees leaked into new ones and lost their step text.
        string path = Path.Combine(Path.GetTempPath(), $"sim-trees-{Environment.ProcessId}.replay");
        try
        {
            var (code, _, stderr) = CliTests.Run("run", "--agents", "8", "--ticks", "40", "--policy", "simulated:skill=0.2", "--out", path);
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), stderr);
            using var reader = Sim.Replay.ReplayReader.Open(path);
            var state = new Sim.Replay.ReplayState(reader.Header);
            int checkedNodes = 0;
            foreach (var tick in reader.Ticks())
            {
                state.Apply(tick);
                foreach (var (agent, tree) in state.Trees)
                {
                    Assert.That(tree.Values.Count(n => n.Parent < 0), Is.EqualTo(1), $"agent {agent} at tick {tick.Tick}: one root");
                    foreach (var node in tree.Values)
                    {
                        Assert.That(node.Step, Is.Not.Empty, $"agent {agent} node {node.Id} at tick {tick.Tick} has no text");
                        Assert.That(node.Parent < 0 || tree.ContainsKey(node.Parent), Is.True, "every parent is in the same tree");
                        checkedNodes++;
                    }
                }
            }
            Assert.That(checkedNodes, Is.GreaterThan(100));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void RewardModelGuidanceChargesModelCalls()
    {
        var (code, stdout, stderr) = CliTests.Run("run", "--agents", "16", "--ticks", "12", "--search", "bon", "--guidance", "rm", "--rm", "simulated:noise=0.1", "--json");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok), stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("rm_calls_per_episode").GetDouble(), Is.GreaterThan(0));
        Assert.That(doc.RootElement.GetProperty("verifier_calls_per_episode").GetDouble(), Is.Zero);
    }

    [Test]
    public void SelfEvaluationGuidanceChargesPolicyCallsNotTheVerifier()
    {
        var (code, stdout, stderr) = CliTests.Run("run", "--agents", "16", "--ticks", "12", "--search", "mcts", "--guidance", "self-eval",
            "--self-eval", "simulated:error=0.05,tokens=3", "--json");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok), stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("guidance").GetString(), Is.EqualTo("self-eval"));
        Assert.That(doc.RootElement.GetProperty("self_evaluations_per_episode").GetDouble(), Is.GreaterThan(0));
        Assert.That(doc.RootElement.GetProperty("verifier_calls_per_episode").GetDouble(), Is.Zero);
    }

    [Test]
    public void RunTableShowsSolveRateComputeAndSpeed()
    {
        var (code, stdout, stderr) = CliTests.Run("run", "--agents", "16", "--ticks", "10", "--search", "beam", "--guidance", "confidence");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok), stderr);
        Assert.That(stdout, Does.Contain("solve rate").And.Contain("tokens / episode").And.Contain("steps/s"));
    }

    [TestCase("run", "--search", "dfs")]
    [TestCase("run", "--agents", "0")]
    [TestCase("run", "--budget", "tokens:-1")]
    [TestCase("run", "--budget", "attempts:x")]
    [TestCase("run", "--policy", "gpt")]
    [TestCase("run", "--guidance", "vibes")]
    [TestCase("run", "--env", "nope")]
    [TestCase("run", "--difficulty", "99")]
    [TestCase("run", "--out", "/nonexistent/dir/x.replay")]
    [TestCase("run", "--guidance", "rm", "--rm", "/nonexistent/rm")]
    [TestCase("run", "--rm", "simulated:noise=-1")]
    [TestCase("run", "--policy", "transformer:/nonexistent/ckpt")]
    [TestCase("run", "--guidance", "self-eval", "--self-eval", "simulated:error=2")]
    [TestCase("run", "--guidance", "self-eval", "--self-eval", "transformer")]
    [TestCase("scale", "--guidance", "self-eval", "--self-eval", "oracle")]
    [TestCase("scale", "--budget", "0")]
    [TestCase("scale", "--search", "bon,dfs")]
    [TestCase("scale", "--unit", "wall_ms")]
    [TestCase("scale", "--plot", "out.txt")]
    public void BadInputExitsWithTwo(params string[] args)
    {
        var (code, _, stderr) = CliTests.Run(args);
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput), stderr);
        Assert.That(stderr.Trim().Split('\n'), Has.Length.LessThanOrEqualTo(2));
    }

    [Test]
    public void ScaleSweepsEveryAlgorithmAndWritesAPlot()
    {
        string png = Path.Combine(Path.GetTempPath(), $"sim-scale-{Environment.ProcessId}.png");
        try
        {
            var (code, stdout, stderr) = CliTests.Run("scale", "--problems", "30", "--budget", "1,4", "--search", "bon,vote,beam,mcts,revise,hybrid", "--plot", png, "--json");
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), stderr);
            using var doc = JsonDocument.Parse(stdout);
            var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
            Assert.That(results, Has.Count.EqualTo(12));
            foreach (var r in results)
            {
                Assert.That(r.GetProperty("ci_low").GetDouble(), Is.LessThanOrEqualTo(r.GetProperty("accuracy").GetDouble()));
                Assert.That(r.GetProperty("ci_high").GetDouble(), Is.GreaterThanOrEqualTo(r.GetProperty("accuracy").GetDouble()));
            }
            var bon1 = results.First(r => r.GetProperty("search").GetString() == "bon" && r.GetProperty("budget").GetInt32() == 1);
            var bon4 = results.First(r => r.GetProperty("search").GetString() == "bon" && r.GetProperty("budget").GetInt32() == 4);
            Assert.That(bon4.GetProperty("accuracy").GetDouble(), Is.GreaterThanOrEqualTo(bon1.GetProperty("accuracy").GetDouble()));
            Assert.That(bon4.GetProperty("tokens").GetDouble(), Is.GreaterThan(bon1.GetProperty("tokens").GetDouble()));
            var bytes = File.ReadAllBytes(png);
            Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
            Assert.That(bytes.Length, Is.GreaterThan(10_000));
        }
        finally { File.Delete(png); }
    }
}
