using Sim.Bench;

namespace Sim.Tests.Bench;

public class BenchProcessTests
{
    [Test]
    public void TheResultLineRoundTripsAndTheLastOneCounts()
    {
        var cost = new RunTime(1.0336015, 1.677591, 6);
        string line = BenchProcess.Format(cost);
        Assert.That(line, Does.StartWith(BenchProcess.ResultTag + " "));
        Assert.That(BenchProcess.Parse(line), Is.EqualTo(cost));
        // A job may print progress before its result; a later result line wins over an earlier one.
        string output = $"warming up\n{BenchProcess.Format(new RunTime(9, 9, 9))}\nnoise\n{line}\n";
        Assert.That(BenchProcess.Parse(output), Is.EqualTo(cost));
    }

    [TestCase("")]
    [TestCase("RUNTIME 1 2")]
    [TestCase("RUNTIME one 2 3")]
    [TestCase("RUNTIME -1 2 3")]
    [TestCase("RUNTIME 1 2 3.5")]
    [TestCase("TIME 1 2 3")]
    public void AnythingElseIsNoResult(string output) => Assert.That(BenchProcess.Parse(output), Is.Null);

    [Test]
    public void RunsTheCommandWithTheJobAndItsArguments()
    {
        // A stand-in for `sim`: a shell that answers only when it gets `bench-job`, the job and its arguments, in order.
        const string script = "[ \"$*\" = 'bench-job replay.search file 600' ] || { echo \"got: $*\" >&2; exit 3; }; " +
            "echo 'warming up'; echo RUNTIME 0.5 0.75 2";
        var cost = WithCommand(["sh", "-c", script, "sh"], () => BenchProcess.Run("replay.search", ["file", "600"]));
        Assert.That(cost, Is.EqualTo(new RunTime(0.5, 0.75, 2)));
    }

    [Test]
    public void AFailedOrSilentJobIsAnError()
    {
        var failed = Assert.Throws<InvalidOperationException>(() =>
            WithCommand(["sh", "-c", "echo 'error: no such job' >&2; exit 2", "sh"], () => BenchProcess.Run("x", [])));
        Assert.That(failed!.Message, Does.Contain("exited with 2").And.Contain("no such job"));
        var silent = Assert.Throws<InvalidOperationException>(() =>
            WithCommand(["sh", "-c", "echo done", "sh"], () => BenchProcess.Run("x", [])));
        Assert.That(silent!.Message, Does.Contain("printed no RUNTIME line"));
        Assert.Throws<InvalidOperationException>(() => WithCommand(null, () => BenchProcess.Run("x", [])));
    }

    [Test]
    public void AJobThatRunsTooLongIsKilled()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var ex = Assert.Throws<TimeoutException>(() =>
            WithCommand(["sh", "-c", "sleep 30", "sh"], () => BenchProcess.Run("x", [], TimeSpan.FromMilliseconds(300))));
        Assert.That(ex!.Message, Does.Contain("killed"));
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "the job was not waited out");
    }

    [Test]
    public void UnknownJobsAndBadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => BenchJobs.Run("no.such.job", []));
        Assert.Throws<ArgumentException>(() => BenchJobs.Run("replay.search", ["bogus", "10"]));
        Assert.Throws<ArgumentException>(() => BenchJobs.Run("replay.search", ["file", "0"]));
        Assert.Throws<ArgumentException>(() => BenchJobs.Run("replay.search", ["file"]));
    }

    [Test]
    public void TheRecordedSearchJobTimesItsTicksAndLeavesNoFile()
    {
        var before = TempReplays();
        var cost = BenchJobs.Run("replay.search", ["file", "20"]);
        Assert.That(cost.Wall, Is.GreaterThan(0));
        Assert.That(cost.Cpu, Is.GreaterThan(0));
        Assert.That(cost.Gen0, Is.GreaterThanOrEqualTo(0));
        Assert.That(TempReplays(), Is.EquivalentTo(before), "the job's replay is deleted");
    }

    private static string[] TempReplays() => Directory.GetFiles(Path.GetTempPath(), "sim-bench-job-*.replay");

    private static T WithCommand<T>(IReadOnlyList<string>? command, Func<T> body)
    {
        var saved = BenchProcess.Command;
        BenchProcess.Command = command;
        try { return body(); }
        finally { BenchProcess.Command = saved; }
    }
}
