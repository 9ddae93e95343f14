using System.CommandLine;
using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Sim.Bench;
using Spectre.Console;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim bench &lt;suite&gt; [--quick] [--json] [--only PREFIX]</c>: runs a benchmark suite and prints its named figures as a table, or
/// as one JSON object with <c>--json</c>; <c>--only PREFIX</c> keeps the figures whose names start with PREFIX and skips
/// the measurements only the others need (<c>sim bench agents --only agents.simulated</c>).
/// <c>sim bench micro [--filter PATTERN]</c> runs the BenchmarkDotNet micro-benchmarks.
/// </summary>
public static class BenchCommand
{
    // Every suite: the bench project's, and the ones that need the CLI's own code (the HTTP server).
    private static readonly IReadOnlyList<IBenchSuite> Suites = [.. BenchSuites.All, new Sim.Cli.Serving.ServeSuite()];

    /// <summary>Builds the command.</summary>
    public static Command Create(CommandFactory f)
    {
        var suite = new Argument<string>("suite")
        {
            Description = $"Suite to run: {string.Join(", ", Suites.Select(s => s.Name))}, or 'micro' for BenchmarkDotNet",
        };
        var quick = new Option<bool>("--quick") { Description = "Fewer repeats, for a fast check" };
        var only = new Option<string?>("--only") { Description = "Keep only figures whose names start with this prefix, and skip the measurements they do not need" };
        var filter = new Option<string>("--filter") { Description = "BenchmarkDotNet filter for 'micro' (glob)", DefaultValueFactory = _ => "*" };
        return f.Make("bench", "Run a benchmark suite and print its figures", ctx =>
        {
            string name = ctx.Get(suite)!;
            if (name == "micro") return RunMicro(ctx.Get(filter)!);
            var s = Suites.FirstOrDefault(x => x.Name == name) ?? throw new UsageException(
                $"unknown suite '{name}'; suites are: {string.Join(", ", Suites.Select(x => x.Name))}, micro");
            string? prefix = ctx.Get(only);
            if (prefix is not null && prefix != name && !prefix.StartsWith(name + ".", StringComparison.Ordinal))
                throw new UsageException($"--only must be a figure-name prefix of suite '{name}', e.g. '{name}.'");
            // Suites start jobs in fresh processes of this program (BenchProcess); not when it is hosted by something
            // else (a test host), whose executable knows no `bench-job`.
            if (Assembly.GetEntryAssembly() == typeof(BenchCommand).Assembly) BenchProcess.UseCurrentExecutable();
            var report = new BenchReport { Only = prefix };
            ctx.WithProgress($"bench {name}", progress => { s.Run(report, ctx.Get(quick), progress); return 0; });
            if (ctx.Json)
            {
                ctx.Out.WriteLine(report.ToJson());
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("figure", "value", "unit", "note");
            foreach (var fig in report.Figures)
                table.AddRow(Markup.Escape(fig.Name), fig.Value.ToString("G5"), fig.Unit, Markup.Escape(fig.Note ?? ""));
            ctx.Console.Write(table);
            return ExitCodes.Ok;
        }, suite, quick, only, filter);
    }

    /// <summary>
    /// Builds the hidden <c>sim bench-job JOB [ARGS...]</c>: runs one job of <see cref="BenchJobs"/> (what a suite starts in
    /// a fresh process through <see cref="BenchProcess"/>) and prints its cost as the last line.
    /// </summary>
    public static Command CreateJob(CommandFactory f)
    {
        var job = new Argument<string>("job") { Description = $"Job to run: {string.Join(", ", BenchJobs.All.Keys)}" };
        var args = new Argument<string[]>("args") { Arity = ArgumentArity.ZeroOrMore, Description = "The job's arguments" };
        var command = f.Make("bench-job", "Run one benchmark job and print its cost (started by `sim bench` in a fresh process)", ctx =>
        {
            var cost = BenchJobs.Run(ctx.Get(job)!, ctx.Get(args) ?? []);
            ctx.Out.WriteLine(BenchProcess.Format(cost));
            return ExitCodes.Ok;
        }, job, args);
        command.Hidden = true;
        return command;
    }

    private static int RunMicro(string filter)
    {
        // In-process toolchain: no generated project to build, so it works from the published `sim` binary too.
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromAssembly(typeof(BenchSuites).Assembly).Run(["--filter", filter], config);
        return ExitCodes.Ok;
    }
}
