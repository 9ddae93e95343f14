using System.CommandLine;
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
    /// <summary>Builds the command.</summary>
    public static Command Create(CommandFactory f)
    {
        var suite = new Argument<string>("suite")
        {
            Description = $"Suite to run: {string.Join(", ", BenchSuites.All.Select(s => s.Name))}, or 'micro' for BenchmarkDotNet",
        };
        var quick = new Option<bool>("--quick") { Description = "Fewer repeats, for a fast check" };
        var only = new Option<string?>("--only") { Description = "Keep only figures whose names start with this prefix, and skip the measurements they do not need" };
        var filter = new Option<string>("--filter") { Description = "BenchmarkDotNet filter for 'micro' (glob)", DefaultValueFactory = _ => "*" };
        return f.Make("bench", "Run a benchmark suite and print its figures", ctx =>
        {
            string name = ctx.Get(suite)!;
            if (name == "micro") return RunMicro(ctx.Get(filter)!);
            var s = BenchSuites.Find(name) ?? throw new UsageException(
                $"unknown suite '{name}'; suites are: {string.Join(", ", BenchSuites.All.Select(x => x.Name))}, micro");
            string? prefix = ctx.Get(only);
            if (prefix is not null && prefix != name && !prefix.StartsWith(name + ".", StringComparison.Ordinal))
                throw new UsageException($"--only must be a figure-name prefix of suite '{name}', e.g. '{name}.'");
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
