using NUnit.Framework;
using Sim.Replay;

namespace Sim.Tests.Replay.Writing;

public class ThreadNiceTests
{
    /// <summary>The nice value of the calling thread, from /proc (field 19 of its stat line).</summary>
    private static int CurrentThreadNice()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        // The command name (field 2) may hold spaces; the fields after it start past its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3]);
    }

    [Test]
    public void LowersOnlyTheCallingThread()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            Assert.Ignore("thread nice values are set on x86-64 Linux only");
        int before = CurrentThreadNice();
        int inside = int.MinValue;
        bool lowered = false;
        var thread = new Thread(() =>
        {
            lowered = ThreadNice.TryLowerCurrentThread(Math.Min(19, before + 7));
            inside = CurrentThreadNice();
        });
        thread.Start();
        thread.Join();
        Assert.That(lowered, Is.True);
        Assert.That(inside, Is.EqualTo(Math.Min(19, before + 7)));
        Assert.That(CurrentThreadNice(), Is.EqualTo(before), "other threads keep their priority");
    }

    [Test]
    public void ZeroLeavesThePriorityAlone() => Assert.That(ThreadNice.TryLowerCurrentThread(0), Is.False);
}
