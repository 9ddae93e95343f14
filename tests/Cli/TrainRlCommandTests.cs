using System.Diagnostics;
using System.Text.Json;
using Sim.Agents.Tokenization;
using Sim.Agents.Transformer;
using Sim.Cli;

namespace Sim.Tests.Cli;

public class TrainRlCommandTests
{
    private static string TempDir(string name) => Path.Combine(Path.GetTempPath(), $"sim-rl-{name}-{Guid.NewGuid():N}");

    [Test]
    public void TabularGrpoLearnsItsPoolAndPrintsTheFigures()
    {
        var (code, stdout, stderr) = CliTests.Run("train", "rl", "--algo", "grpo", "--policy", "tabular", "--pool", "32", "--problems", "32",
            "--iterations", "40", "--heldout", "20", "--json");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok), stderr);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        double init = r.GetProperty("init_solve_rate").GetDouble(), final = r.GetProperty("final_solve_rate").GetDouble();
        Assert.That(final, Is.GreaterThan(init + 0.3), "the pool is learned");
        Assert.That(r.GetProperty("final_heldout_solve_rate").GetDouble(), Is.InRange(0, 1));
        Assert.That(r.GetProperty("updates").GetInt32(), Is.EqualTo(40));
        Assert.That(r.GetProperty("episodes").GetInt64(), Is.EqualTo(40 * 32 * 8));
        Assert.That(r.GetProperty("curve").GetArrayLength(), Is.EqualTo(40));
    }

    [TestCase("--algo", "nope")]
    [TestCase("--algo", "grpo", "--policy", "nope")]
    [TestCase("--algo", "grpo", "--policy", "tabular", "--env", "arith")]
    [TestCase("--algo", "ppo", "--init", "/no/such/checkpoint")]
    [TestCase("--algo", "grpo", "--policy", "tabular", "--buffer", "sometimes")]
    [TestCase("--algo", "grpo", "--policy", "tabular", "--curriculum", "0.9,0.1")]
    [TestCase("--algo", "grpo", "--policy", "tabular", "--resume")]
    [TestCase("--algo", "grpo", "--policy", "tabular", "--iterations", "0")]
    public void BadInputIsExitTwo(params string[] args)
    {
        var (code, _, stderr) = CliTests.Run(["train", "rl", .. args]);
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput), stderr);
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void ARoundWithNoCorrectTrajectoryIsExitTwo()
    {
        // One hard problem, one sample: the uniform policy does not solve it, and expert iteration has nothing to keep.
        var (code, _, stderr) = CliTests.Run("train", "rl", "--algo", "ei", "--policy", "tabular", "--difficulty", "5", "--pool", "1",
            "--problems", "1", "--samples", "1", "--iterations", "3", "--heldout", "1", "--json");
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(stderr, Does.Contain("no correct trajectory"));
    }

    [Test]
    public void ResumingWithAnotherArchitectureIsExitTwo()
    {
        string a = TempDir("a"), b = TempDir("b"), run = TempDir("run");
        try
        {
            var tok = SimTokenizer.CreateDefault();
            using (var lm = TransformerLm.Create(new TransformerConfig(tok.VocabSize, Layers: 1, Width: 16, Heads: 2, Context: 96), tok, 1)) lm.Save(a);
            using (var lm = TransformerLm.Create(new TransformerConfig(tok.VocabSize, Layers: 1, Width: 32, Heads: 2, Context: 96), tok, 1)) lm.Save(b);
            string[] common = ["train", "rl", "--algo", "grpo", "--problems", "2", "--samples", "2", "--heldout", "2", "--out", run, "--checkpoint-every", "1"];
            var first = CliTests.Run([.. common, "--init", a, "--iterations", "1", "--json"]);
            Assert.That(first.code, Is.EqualTo(ExitCodes.Ok), first.stderr);
            var second = CliTests.Run([.. common, "--init", b, "--iterations", "2", "--resume", "--json"]);
            Assert.That(second.code, Is.EqualTo(ExitCodes.BadInput), second.stderr);
            Assert.That(second.stderr, Does.Contain("architecture"));
        }
        finally { foreach (var d in new[] { a, b, run }) if (Directory.Exists(d)) Directory.Delete(d, true); }
    }

    [Test]
    public void DpoTakesAPairFileAndRefusesAMalformedOne()
    {
        string ckpt = TempDir("dpo-init"), good = Path.GetTempFileName(), bad = Path.GetTempFileName();
        try
        {
            var tok = SimTokenizer.CreateDefault();
            using (var lm = TransformerLm.Create(new TransformerConfig(tok.VocabSize, Layers: 1, Width: 16, Heads: 2, Context: 96), tok, 1)) lm.Save(ckpt);
            File.WriteAllLines(good, [
                """{"prompt":"Numbers: 6 2 5\nGoal: 22\n","chosen":"6 + 5 = 11\n2 * 11 = 22\nAnswer: 2*(6+5)\n","rejected":"6 * 5 = 30\nAnswer: 6*5\n"}""",
                """{"prompt":"Numbers: 6 5 10\nGoal: 11\n","chosen":"6 + 5 = 11\nAnswer: 6+5\n","rejected":"6 - 5 = 1\nAnswer: 6-5\n"}""",
            ]);
            File.WriteAllLines(bad, ["""{"prompt":"x","chosen":"y"}"""]);
            string[] common = ["train", "rl", "--algo", "dpo", "--init", ckpt, "--iterations", "2", "--problems", "2", "--samples", "2", "--heldout", "2", "--json"];
            var ok = CliTests.Run([.. common, "--pairs", good]);
            Assert.That(ok.code, Is.EqualTo(ExitCodes.Ok), ok.stderr);
            Assert.That(JsonDocument.Parse(ok.stdout).RootElement.GetProperty("curve").GetArrayLength(), Is.EqualTo(2));
            var refused = CliTests.Run([.. common, "--pairs", bad]);
            Assert.That(refused.code, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(refused.stderr, Does.Contain(":1:"));
        }
        finally
        {
            if (Directory.Exists(ckpt)) Directory.Delete(ckpt, true);
            File.Delete(good);
            File.Delete(bad);
        }
    }

    // kill -9 mid-run, then --resume: the final weights equal those of an uninterrupted run.
    [Test]
    public void ResumeAfterKillReachesTheUninterruptedWeights()
    {
        string killed = TempDir("killed"), straight = TempDir("straight");
        string[] args = ["train", "rl", "--algo", "reinforce", "--policy", "tabular", "--pool", "64", "--problems", "16", "--iterations", "400",
            "--heldout", "10", "--checkpoint-every", "5", "--json"];
        try
        {
            var reference = CliTests.Run([.. args, "--out", straight]);
            Assert.That(reference.code, Is.EqualTo(ExitCodes.Ok), reference.stderr);
            string expected = JsonDocument.Parse(reference.stdout).RootElement.GetProperty("weights_hash").GetString()!;

            string sim = Path.Combine(AppContext.BaseDirectory, "sim.dll");
            var psi = new ProcessStartInfo("dotnet", [sim, .. args, "--out", killed]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi)!;
            var sw = Stopwatch.StartNew();
            string pointer = Path.Combine(killed, "latest");
            // Kill once a few checkpoints exist, well before the end.
            while (sw.Elapsed < TimeSpan.FromSeconds(60) && !p.HasExited && !(File.Exists(pointer) && string.CompareOrdinal(File.ReadAllText(pointer), "ckpt-00000020") >= 0))
                Thread.Sleep(5);
            Assert.That(p.HasExited, Is.False, "the run ended before it could be killed");
            p.Kill();
            p.WaitForExit();
            var resumed = CliTests.Run([.. args, "--out", killed, "--resume"]);
            Assert.That(resumed.code, Is.EqualTo(ExitCodes.Ok), resumed.stderr);
            var r = JsonDocument.Parse(resumed.stdout).RootElement;
            Assert.That(r.GetProperty("weights_hash").GetString(), Is.EqualTo(expected));
            Assert.That(r.GetProperty("updates").GetInt32(), Is.EqualTo(400));
            // The episode ledger: every id from 0 to the end once, none lost, none twice.
            Assert.That(r.GetProperty("episodes").GetInt64(), Is.EqualTo(400L * 16 * 8));
            Assert.That(r.GetProperty("episode_ids").GetProperty("next").GetInt64(), Is.EqualTo(400L * 16 * 8));
        }
        finally { foreach (var d in new[] { killed, straight }) if (Directory.Exists(d)) Directory.Delete(d, true); }
    }
}
