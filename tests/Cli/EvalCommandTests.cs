using System.Text.Json;
using System.Text.Json.Nodes;
using Sim.Agents.Training;
using Sim.Environments;

namespace Sim.Tests.Cli;

/// <summary>sim eval: the JSON report, its reproducibility, a split apart from sim data demos, and bad input.</summary>
public class EvalCommandTests
{
    [Test]
    public void JsonHasEveryFigureForEachK()
    {
        var (code, stdout, stderr) = CliTests.Run("eval", "--policy", "simulated", "--env", "countdown", "--k", "1,8,32", "--problems", "40", "--json");
        Assert.That(code, Is.EqualTo(0), stderr);
        var root = JsonNode.Parse(stdout)!.AsObject();
        foreach (var key in new[] { "env", "difficulty", "problems", "samples_per_problem", "pass_at_k", "maj_at_k", "mean_tokens", "mean_lines", "seconds" })
            Assert.That(root.ContainsKey(key), key);
        Assert.That((string?)root["env"], Is.EqualTo("countdown"));
        Assert.That((int)root["difficulty"]!, Is.EqualTo(EnvironmentRegistry.Default.Get("countdown").Difficulty.Default));
        Assert.That((int)root["problems"]!, Is.EqualTo(40));
        Assert.That((int)root["samples_per_problem"]!, Is.EqualTo(32));
        var pass = root["pass_at_k"]!.AsObject();
        var maj = root["maj_at_k"]!.AsObject();
        Assert.That(pass.Select(p => p.Key), Is.EqualTo(new[] { "1", "8", "32" }));
        Assert.That(maj.Select(p => p.Key), Is.EqualTo(new[] { "1", "8", "32" }));
        double p1 = (double)pass["1"]!, p8 = (double)pass["8"]!, p32 = (double)pass["32"]!;
        Assert.That(p1, Is.GreaterThan(0.05).And.LessThan(0.95), "the default simulated policy solves some problems, not all");
        Assert.That(p8, Is.GreaterThan(p1));
        Assert.That(p32, Is.GreaterThanOrEqualTo(p8).And.LessThanOrEqualTo(1));
        foreach (var (k, v) in maj)
        {
            Assert.That((double)v!, Is.InRange(0.0, 1.0), $"maj@{k}");
            Assert.That((double)v!, Is.LessThanOrEqualTo((double)pass[k]! + 0.1), $"maj@{k} is no better than coverage");
        }
        Assert.That((double)root["mean_lines"]!, Is.GreaterThanOrEqualTo(1));
        Assert.That((double)root["mean_tokens"]!, Is.GreaterThan((double)root["mean_lines"]!));
        Assert.That((double)root["seconds"]!, Is.GreaterThanOrEqualTo(0));
    }

    [Test]
    public void TheSeedFixesTheReport()
    {
        static JsonObject Report(string seed)
        {
            var (code, stdout, stderr) = CliTests.Run("eval", "--k", "1,4", "--problems", "30", "--seed", seed, "--json");
            Assert.That(code, Is.EqualTo(0), stderr);
            var o = JsonNode.Parse(stdout)!.AsObject();
            o.Remove("seconds");
            return o;
        }
        Assert.That(Report("3").ToJsonString(), Is.EqualTo(Report("3").ToJsonString()));
        Assert.That(Report("4").ToJsonString(), Is.Not.EqualTo(Report("3").ToJsonString()));
    }

    [Test]
    public void TheTablePrintsEachK()
    {
        var (code, stdout, stderr) = CliTests.Run("eval", "--k", "2,1", "--problems", "10");
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("pass@k").And.Contain("maj@k").And.Contain("tokens"));
    }

    [Test]
    public void DemonstrationsAreNeverHeldOut()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sim-eval-demos-{Environment.ProcessId}.jsonl");
        try
        {
            var (code, _, stderr) = CliTests.Run("data", "demos", "--env", "countdown", "--style", "optimal", "--count", "50", "--seed", "2", "--out", path);
            Assert.That(code, Is.EqualTo(0), stderr);
            var demoSeeds = File.ReadLines(path).Select(l => (ulong)JsonNode.Parse(l)!["problem"]!["metadata"]!["seed"]!).ToList();
            Assert.That(demoSeeds, Is.EqualTo(Enumerable.Range(0, 50).Select(i => HeldOutSplit.TrainingSeed(2, (ulong)i))));
            var heldOut = HeldOutSplit.Problems(EnvironmentRegistry.Default.Get("countdown"), 2, 200, 2).Select(p => p.Seed!.Value).ToHashSet();
            Assert.That(demoSeeds, Has.None.Matches<ulong>(heldOut.Contains));
        }
        finally { File.Delete(path); }
    }

    [TestCase("--env", "no-such-env")]
    [TestCase("--k", "0")]
    [TestCase("--k", "1,x")]
    [TestCase("--k", "1,,8")]
    [TestCase("--k", "")]
    [TestCase("--k", "-1")]
    [TestCase("--k", "70000")]
    [TestCase("--problems", "0")]
    [TestCase("--difficulty", "99")]
    [TestCase("--max-depth", "0")]
    [TestCase("--policy", "simulated:bogus=1")]
    [TestCase("--seed", "1099511627776")]
    public void BadInputIsOneLineAndExitTwo(string flag, string value)
    {
        string[] args = flag == "--problems" ? ["eval", flag, value, "--json"] : ["eval", flag, value, "--problems", "5", "--json"];
        var (code, stdout, stderr) = CliTests.Run(args);
        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), stderr);
        Assert.That(stderr, Does.StartWith("error: "));
    }
}
