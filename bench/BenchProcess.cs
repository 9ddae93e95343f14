using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Sim.Bench;

/// <summary>
/// Runs a bench job (<see cref="BenchJobs"/>) in a fresh process of the <c>sim</c> executable
/// (<c>sim bench-job NAME ARGS...</c>) and returns what its timed part cost. As BenchmarkDotNet runs each benchmark in
/// a process of its own: runs in one process share its garbage collector, whose budgets and heap are shaped by
/// whichever run came before, so two variants timed in turn there also measure each other (see
/// docs/replay-format.md, "Recording cost").
/// </summary>
public static class BenchProcess
{
    /// <summary>The line a job prints last: <c>RUNTIME wall cpu gen0</c>, seconds in the invariant culture.</summary>
    public const string ResultTag = "RUNTIME";

    /// <summary>
    /// The command that starts <c>sim</c>, program first (<c>["dotnet", ".../sim.dll"]</c> or <c>[".../sim"]</c>);
    /// null where there is none (a test host), and suites then measure in their own process.
    /// </summary>
    public static IReadOnlyList<string>? Command { get; set; }

    /// <summary>Sets <see cref="Command"/> to the running executable: called by <c>sim bench</c>.</summary>
    public static void UseCurrentExecutable()
    {
        string? host = Environment.ProcessPath;
        if (host is null) return;
        // `dotnet sim.dll`: the host is dotnet, and the entry assembly is the program it runs.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            string? entry = Assembly.GetEntryAssembly()?.Location;
            Command = string.IsNullOrEmpty(entry) ? null : [host, entry];
        }
        else Command = [host];
    }

    /// <summary>
    /// Runs job <paramref name="job"/> with <paramref name="args"/> in a fresh process and returns its cost. A job that
    /// fails, prints no result or runs past <paramref name="timeout"/> (default 10 minutes; it is then killed) throws
    /// <see cref="InvalidOperationException"/> or <see cref="TimeoutException"/>.
    /// </summary>
    public static RunTime Run(string job, IReadOnlyList<string> args, TimeSpan? timeout = null)
    {
        var command = Command ?? throw new InvalidOperationException("no sim executable to run bench jobs in (BenchProcess.Command)");
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in command.Skip(1)) start.ArgumentList.Add(a);
        start.ArgumentList.Add("bench-job");
        start.ArgumentList.Add(job);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
        // Both pipes are drained as the job runs: a child that fills one while the other is read would wait forever.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromMinutes(10);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"bench job {job} ran past {limit.TotalSeconds:F0} s and was killed");
        }
        process.WaitForExit(); // the pipes' last bytes
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"bench job {job} exited with {process.ExitCode}: {Tail(error.Result)}");
        return Parse(output.Result) ?? throw new InvalidOperationException($"bench job {job} printed no {ResultTag} line: {Tail(output.Result)}");
    }

    /// <summary>Formats <paramref name="cost"/> as the job's last line.</summary>
    public static string Format(RunTime cost) =>
        string.Create(CultureInfo.InvariantCulture, $"{ResultTag} {cost.Wall:R} {cost.Cpu:R} {cost.Gen0}");

    /// <summary>The cost on the last <see cref="ResultTag"/> line of <paramref name="output"/>, or null.</summary>
    public static RunTime? Parse(string output)
    {
        foreach (var line in output.Split('\n').Reverse())
        {
            var f = line.Trim().Split(' ');
            if (f.Length != 4 || f[0] != ResultTag) continue;
            if (double.TryParse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double wall)
                && double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double cpu)
                && int.TryParse(f[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out int gen0)
                && wall >= 0 && cpu >= 0 && gen0 >= 0)
                return new RunTime(wall, cpu, gen0);
        }
        return null;
    }

    private static string Tail(string s)
    {
        s = s.Trim().ReplaceLineEndings(" ");
        return s.Length <= 400 ? s : "..." + s[^400..];
    }
}
