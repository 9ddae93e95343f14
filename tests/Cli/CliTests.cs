using System.Text.Json;
using Sim.Cli;

namespace Sim.Tests.Cli;

public class CliTests
{
    internal static (int code, string stdout, string stderr) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = SimApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public void VersionPrintsJson()
    {
        var (code, stdout, _) = Run("version", "--json");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        using var doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("sim").GetString(), Is.Not.Empty);
    }

    [Test]
    public void DemoRunsAndIsReproducible()
    {
        var first = Run("demo", "--ticks", "20", "--entities", "500", "--seed", "3", "--json");
        var second = Run("demo", "--ticks", "20", "--entities", "500", "--seed", "3", "--json");
        Assert.That(first.code, Is.EqualTo(ExitCodes.Ok), first.stderr);
        using var a = JsonDocument.Parse(first.stdout);
        using var b = JsonDocument.Parse(second.stdout);
        Assert.That(a.RootElement.GetProperty("state_hash").GetString(), Is.EqualTo(b.RootElement.GetProperty("state_hash").GetString()));
        // The spawner tops up to 500 each tick; expiries later in the tick take a few away again.
        var root = a.RootElement;
        Assert.That(root.GetProperty("alive").GetInt32(), Is.InRange(400, 500));
        Assert.That(root.GetProperty("spawned").GetInt64() - root.GetProperty("expired").GetInt64(), Is.EqualTo(root.GetProperty("alive").GetInt32()));
        var systems = a.RootElement.GetProperty("profile").EnumerateArray().Select(p => p.GetProperty("system").GetString()).ToList();
        Assert.That(systems, Does.Contain("search.select/MoveSystem"));
    }

    [Test]
    public void DemoTablePrintsTheProfile()
    {
        var (code, stdout, _) = Run("demo", "--ticks", "5", "--entities", "100", "--profile");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(stdout, Does.Contain("AgeSystem"));
        Assert.That(stdout, Does.Contain("state hash"));
    }

    [TestCase("demo", "--ticks", "abc")]
    [TestCase("demo", "--ticks", "-5")]
    [TestCase("demo", "--entities", "0")]
    [TestCase("no-such-command")]
    [TestCase("demo", "--no-such-flag")]
    [TestCase("bench", "no-such-suite")]
    [TestCase("bench", "agents", "--only", "ecs.")]
    [TestCase("bench-job", "no-such-job")]
    [TestCase("bench-job", "replay.search", "bogus", "10")]
    [TestCase("bench-job", "replay.search", "file", "0")]
    public void BadInputExitsWithTwoAndOneLine(params string[] args)
    {
        var (code, _, stderr) = Run(args);
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(stderr, Does.StartWith("error: "));
        Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace without --verbose");
    }

    [Test]
    public void BenchJobIsLeftOutOfTheHelp()
    {
        var (code, stdout, _) = Run("--help");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(stdout, Does.Contain("bench"));
        Assert.That(stdout, Does.Not.Contain("bench-job"), "an internal command that `sim bench` starts");
    }
}
