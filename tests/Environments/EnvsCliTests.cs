using System.Text.Json;
using NUnit.Framework;
using Sim.Cli;

namespace Sim.Tests.Environments;

public sealed class EnvsCliTests
{
    private static (int Code, string Out, string Err) Sim(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = SimApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string _dir = "";

    [SetUp]
    public void MakeDir() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "sim-envs-" + TestContext.CurrentContext.Test.ID));

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, true);

    private string File_(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void ListNamesEveryEnvironment()
    {
        var (code, output, _) = Sim("envs", "list", "--json");
        Assert.That(code, Is.EqualTo(0));
        var names = JsonDocument.Parse(output).RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToArray();
        Assert.That(names, Is.SupersetOf(new[] { "arith", "linear", "countdown", "game24", "code", "judge" }));
    }

    [Test]
    public void SampleIsDeterministicJsonl()
    {
        var a = Sim("envs", "sample", "countdown", "--seed", "5", "--difficulty", "3", "--count", "3", "--json");
        var b = Sim("envs", "sample", "countdown", "--seed", "5", "--difficulty", "3", "--count", "3", "--json");
        Assert.That(a.Code, Is.EqualTo(0), a.Err);
        Assert.That(a.Out, Is.EqualTo(b.Out));
        var rows = a.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(rows, Has.Length.EqualTo(3));
        foreach (var row in rows)
        {
            var o = JsonDocument.Parse(row).RootElement;
            Assert.That(o.GetProperty("metadata").GetProperty("env").GetString(), Is.EqualTo("countdown"));
            Assert.That(o.TryGetProperty("question", out _) && o.TryGetProperty("answer", out _) && o.TryGetProperty("id", out _), Is.True);
        }
    }

    [TestCase("envs", "sample", "nope")]
    [TestCase("envs", "sample", "arith", "--difficulty", "99")]
    [TestCase("envs", "sample", "arith", "--count", "0")]
    [TestCase("envs", "check", "nope")]
    [TestCase("verify", "--problem", "/no/such/file", "--steps", "/no/such/file")]
    public void BadInputExitsTwo(params string[] args)
    {
        var (code, _, err) = Sim(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.StartWith("error:"));
        Assert.That(err, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public void VerifyPrintsOneVerdictPerStepAndOneForTheAnswer()
    {
        string problem = File_("p.json", Sim("envs", "sample", "game24", "--seed", "3", "--json").Out);
        var row = JsonDocument.Parse(File.ReadAllText(problem)).RootElement;
        string steps = File_("steps.txt", "8 / 8 = 1\n\n13 - 1 = 12\nnot a step\n2 * 12 = 24\n");
        string answer = File_("answer.txt", row.GetProperty("answer").GetString() + "\n");
        var (code, output, err) = Sim("verify", "--problem", problem, "--steps", steps, "--answer", answer, "--json");
        Assert.That(code, Is.EqualTo(0), err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.That(lines, Has.Length.EqualTo(5));
        Assert.That(lines.Take(4).Select(l => l.GetProperty("valid").GetBoolean()), Is.EqualTo(new[] { true, true, false, true }));
        Assert.That(lines[2].GetProperty("kind").GetString(), Is.EqualTo("malformed"));
        Assert.That(lines[3].GetProperty("terminal").GetBoolean(), Is.True);
        Assert.That(lines[0].GetProperty("solvable").GetString(), Is.EqualTo("yes"));
        Assert.That(lines[4].GetProperty("correct").GetBoolean(), Is.True);
        Assert.That(lines[4].GetProperty("reward").GetDouble(), Is.EqualTo(1.0));
    }

    [Test]
    public void HostileAnswerIsAVerdictNotAFailure()
    {
        string problem = File_("p.json", Sim("envs", "sample", "arith", "--json").Out);
        string answer = Path.Combine(_dir, "a.txt");
        File.WriteAllBytes(answer, [.. System.Text.Encoding.UTF8.GetBytes(new string('(', 3000)), 0, 0xff, 0xfe, 0xc0, .. System.Text.Encoding.UTF8.GetBytes(new string('9', 5000))]);
        var (code, output, _) = Sim("verify", "--problem", problem, "--answer", answer, "--json");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(JsonDocument.Parse(output).RootElement.GetProperty("correct").GetBoolean(), Is.False);
    }

    [Test]
    public void MalformedProblemFilesExitTwo()
    {
        string steps = File_("s.txt", "1+1=2\n");
        foreach (var bad in new[] { "", "{", "[]", "{\"question\": \"q\"}", "{\"id\":\"x\",\"question\":\"q\",\"answer\":\"1\",\"metadata\":{\"env\":\"arith\"}}",
                     "{\"id\":\"x\",\"question\":\"q\",\"answer\":\"1\",\"metadata\":{\"env\":\"nope\"}}",
                     "{\"id\":\"x\",\"question\":\"q\",\"answer\":\"1\",\"metadata\":{\"env\":\"countdown\",\"numbers\":[1,2,3,4,5,6,7,8,9,10],\"target\":5}}" })
        {
            string problem = File_("bad.json", bad);
            var (code, _, err) = Sim("verify", "--problem", problem, "--steps", steps);
            Assert.That(code, Is.EqualTo(2), $"{bad}: {err}");
            Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1), "one-line message");
        }
        var two = File_("two.jsonl", Sim("envs", "sample", "arith", "--count", "2", "--json").Out);
        Assert.That(Sim("verify", "--problem", two, "--steps", steps).Code, Is.EqualTo(2));
        Assert.That(Sim("verify", "--problem", two).Code, Is.EqualTo(2), "neither --steps nor --answer");
    }

    [Test]
    public void VerifyReadsStdin()
    {
        string problem = File_("p.json", Sim("envs", "sample", "linear", "--seed", "2", "--difficulty", "1", "--json").Out);
        string answer = JsonDocument.Parse(File.ReadAllText(problem)).RootElement.GetProperty("answer").GetString()!;
        var saved = Console.In;
        try
        {
            Console.SetIn(new StringReader(answer));
            var (code, output, err) = Sim("verify", "--problem", problem, "--answer", "-", "--json");
            Assert.That(code, Is.EqualTo(0), err);
            Assert.That(JsonDocument.Parse(output).RootElement.GetProperty("correct").GetBoolean(), Is.True);
        }
        finally
        {
            Console.SetIn(saved);
        }
    }

    [Test]
    public void VerifyDecodesJsonStringStepsForCode()
    {
        string problem = File_("p.json", Sim("envs", "sample", "code", "--seed", "4", "--difficulty", "2", "--json").Out);
        string reference = JsonDocument.Parse(File.ReadAllText(problem)).RootElement.GetProperty("answer").GetString()!;
        string steps = File_("s.txt", JsonSerializer.Serialize(reference) + "\n" + JsonSerializer.Serialize("function nope() {\n  while (true) {}\n}") + "\n");
        var (code, output, err) = Sim("verify", "--problem", problem, "--steps", steps, "--json");
        Assert.That(code, Is.EqualTo(0), err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.That(lines[0].GetProperty("kind").GetString(), Is.EqualTo("ok"));
        Assert.That(lines[1].GetProperty("valid").GetBoolean(), Is.False);
    }

    [Test]
    public void CheckPassesForBuiltIns([Values("arith", "linear", "countdown", "game24", "code", "judge")] string name)
    {
        var (code, output, err) = Sim("envs", "check", name, "--seeds", "2", "--fuzz", "20", "--json");
        Assert.That(code, Is.EqualTo(0), output + err);
        Assert.That(JsonDocument.Parse(output).RootElement.GetProperty("passed").GetBoolean(), Is.True);
    }

    [Test]
    public void ShowPrintsAProblemsReferenceSolution()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sim-show-{Environment.ProcessId}.json");
        try
        {
            var sample = global::Sim.Tests.Cli.CliTests.Run("envs", "sample", "countdown", "--seed", "3", "--json");
            File.WriteAllText(path, sample.stdout);
            var (code, stdout, stderr) = global::Sim.Tests.Cli.CliTests.Run("envs", "show", "countdown", "--problem", path, "--solution", "--json");
            Assert.That(code, Is.EqualTo(0), stderr);
            var root = System.Text.Json.JsonDocument.Parse(stdout).RootElement;
            Assert.That(root.GetProperty("solvable").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("solution").GetProperty("steps").GetArrayLength(), Is.GreaterThan(0));
            Assert.That(global::Sim.Tests.Cli.CliTests.Run("envs", "show", "countdown", "--solution").code, Is.EqualTo(2));
            Assert.That(global::Sim.Tests.Cli.CliTests.Run("envs", "show", "countdown", "--problem", path + ".missing").code, Is.EqualTo(2));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void VerifyBatchWritesOneLinePerRowAndGoesOnPastBadRows()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sim-batch-{Environment.ProcessId}.jsonl");
        try
        {
            var env = global::Sim.Environments.EnvironmentRegistry.Default.Get("countdown");
            var p = env.Sample(3, 2);
            var row = System.Text.Json.Nodes.JsonNode.Parse(p.ToRecord().ToJson())!;
            var sol = env.Solve(p)!;
            var good = new System.Text.Json.Nodes.JsonObject { ["problem"] = row.DeepClone(), ["answer"] = p.Answer,
                ["steps"] = new System.Text.Json.Nodes.JsonArray(sol.Steps.Select(x => (System.Text.Json.Nodes.JsonNode)x).ToArray()) };
            var wrong = new System.Text.Json.Nodes.JsonObject { ["problem"] = row.DeepClone(), ["answer"] = "1" };
            File.WriteAllLines(path, [good.ToJsonString(), "{oops", wrong.ToJsonString(), "{\"steps\": []}"]);
            var (code, stdout, stderr) = global::Sim.Tests.Cli.CliTests.Run("verify", "--batch", path);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
            Assert.That(lines.Select(l => l.GetProperty("row").GetInt32()), Is.EqualTo(new[] { 1, 2, 3, 4 }), "one line per row, in order");
            Assert.That(lines[0].GetProperty("answer").GetProperty("correct").GetBoolean(), Is.True);
            Assert.That(lines[0].GetProperty("steps").EnumerateArray().All(v => v.GetProperty("valid").GetBoolean()), Is.True);
            Assert.That(lines[1].TryGetProperty("error", out _), Is.True);
            Assert.That(lines[2].GetProperty("answer").GetProperty("correct").GetBoolean(), Is.False);
            Assert.That(lines[3].GetProperty("error").GetString(), Does.Contain("problem"));
            Assert.That(code, Is.EqualTo(2), "some rows were bad");
            Assert.That(stderr, Does.Contain("2 of 4 rows were bad"));
            File.WriteAllLines(path, [good.ToJsonString(), wrong.ToJsonString()]);
            Assert.That(global::Sim.Tests.Cli.CliTests.Run("verify", "--batch", path).code, Is.EqualTo(0), "wrong answers are verdicts, not bad rows");
            Assert.That(global::Sim.Tests.Cli.CliTests.Run("verify", "--batch", path, "--answer", path).code, Is.EqualTo(2));
        }
        finally { File.Delete(path); }
    }
}
