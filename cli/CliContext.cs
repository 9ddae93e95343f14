using System.CommandLine;
using Spectre.Console;

namespace Sim.Cli;

/// <summary>
/// What every subcommand's action receives: the parsed global options and the output streams.
/// Commands write results to <see cref="Out"/> (stdout) and diagnostics and progress to <see cref="Err"/> (stderr),
/// so <c>--json</c> output can be piped without noise.
/// </summary>
public sealed class CliContext
{
    internal CliContext(ParseResult parse, GlobalOptions options, TextWriter output, TextWriter error)
    {
        Parse = parse;
        Out = output;
        Err = error;
        Seed = parse.GetValue(options.Seed);
        Json = parse.GetValue(options.Json);
        Profile = parse.GetValue(options.Profile);
        Verbose = parse.GetValue(options.Verbose);
    }

    /// <summary>The parse result, for reading the command's own options.</summary>
    public ParseResult Parse { get; }

    /// <summary>Standard output: tables or one JSON document.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: progress, warnings and error messages.</summary>
    public TextWriter Err { get; }

    /// <summary>The world seed (<c>--seed</c>).</summary>
    public ulong Seed { get; }

    /// <summary>Machine-readable output was asked for (<c>--json</c>).</summary>
    public bool Json { get; }

    /// <summary>Per-system timings were asked for (<c>--profile</c>).</summary>
    public bool Profile { get; }

    /// <summary>Stack traces on failure (<c>--verbose</c>).</summary>
    public bool Verbose { get; }

    /// <summary>Reads the value of one of the command's own options or arguments.</summary>
    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    /// <summary>Reads the value of one of the command's own arguments.</summary>
    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    /// <summary>A Spectre console that renders to <see cref="Out"/>, for human-readable tables.</summary>
    public IAnsiConsole Console => _console ??= AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Out),
        Interactive = InteractionSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
    });

    private IAnsiConsole? _console;

    /// <summary>
    /// Runs <paramref name="work"/> with a progress bar on stderr when stderr is a terminal and output is not JSON;
    /// otherwise runs it silently. The callback reports progress in [0, 1].
    /// </summary>
    public T WithProgress<T>(string label, Func<Action<double>, T> work)
    {
        bool show = !Json && ReferenceEquals(Err, System.Console.Error) && !System.Console.IsErrorRedirected;
        if (!show) return work(_ => { });
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Err) });
        T result = default!;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(label, maxValue: 1.0);
                result = work(p => task.Value = Math.Clamp(p, 0, 1));
                task.Value = 1;
            });
        return result;
    }
}
