using System.CommandLine;
using System.Text.Json;
using Sim.Cli.Commands;
using Sim.Environments;

namespace Sim.Cli;

/// <summary>
/// Builds and runs the <c>sim</c> command. Every subcommand is registered in <see cref="Build"/>, in one place.
/// Conventions for all subcommands: <c>--seed</c>, <c>--json</c>, <c>--profile</c>, <c>--verbose</c>;
/// exit 0 on success, 1 when the run fails, 2 on bad input, with a one-line message.
/// </summary>
public static class SimApp
{
    /// <summary>Parses <paramref name="args"/>, runs the chosen command and returns its exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var globals = new GlobalOptions();
        var root = Build(globals, output, error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Parse errors are bad input: one line each, exit 2, no help dump.
            foreach (var e in parse.Errors) error.WriteLine($"error: {e.Message}");
            error.WriteLine("Run 'sim --help' for usage.");
            return ExitCodes.BadInput;
        }
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    /// <summary>Creates the command tree. Add new subcommands here.</summary>
    public static RootCommand Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Sim: a simulator for search and learning in o1-style reasoning models");
        globals.AddTo(root);
        var commands = new CommandFactory(globals, output, error);
        root.Subcommands.Add(VersionCommand.Create(commands));
        root.Subcommands.Add(DemoCommand.Create(commands));
        root.Subcommands.Add(BenchCommand.Create(commands));
        root.Subcommands.Add(BenchCommand.CreateJob(commands));
        root.Subcommands.Add(DataCommand.Create(commands));
        root.Subcommands.Add(TrainCommand.Create(commands));
        root.Subcommands.Add(EnvsCommand.Create(commands));
        root.Subcommands.Add(VerifyCommand.Create(commands));
        root.Subcommands.Add(RunCommand.Create(commands));
        root.Subcommands.Add(ScaleCommand.Create(commands));
        root.Subcommands.Add(PolicyCommand.Create(commands));
        root.Subcommands.Add(EvalCommand.Create(commands));
        root.Subcommands.Add(ServeCommand.Create(commands));
        root.Subcommands.Add(ReplayCommand.Create(commands));
        root.Subcommands.Add(ViewCommand.Create(commands));
        return root;
    }

    /// <summary>
    /// Runs a command body and turns exceptions into exit codes: bad input gives 2, anything else 1.
    /// The message is one line; the stack trace only appears with <c>--verbose</c>.
    /// </summary>
    internal static int Guard(CliContext ctx, Func<CliContext, int> body)
    {
        try
        {
            return body(ctx);
        }
        catch (EnvironmentFaultException ex)
        {
            ctx.Err.WriteLine($"error: {OneLine(ex.Message)}");
            return ExitCodes.EnvironmentFailed;
        }
        catch (Exception ex) when (IsBadInput(ex))
        {
            ctx.Err.WriteLine($"error: {OneLine(ex.Message)}");
            if (ctx.Verbose) ctx.Err.WriteLine(ex);
            return ExitCodes.BadInput;
        }
        catch (Exception ex)
        {
            ctx.Err.WriteLine($"error: run failed: {OneLine(ex.Message)} ({ex.GetType().Name})");
            if (ctx.Verbose) ctx.Err.WriteLine(ex);
            else ctx.Err.WriteLine("(run again with --verbose for the stack trace)");
            return ExitCodes.RunFailed;
        }
    }

    /// <summary>The exception types that mean "the user's input was bad" rather than "the program failed".</summary>
    public static bool IsBadInput(Exception ex) => ex is UsageException or InvalidDataException or FileNotFoundException
        or DirectoryNotFoundException or FormatException or JsonException or ArgumentException;

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();

    /// <summary>The first line of <paramref name="message"/>: what an error field or a row's error line holds.</summary>
    internal static string FirstLine(string message)
    {
        int nl = message.IndexOfAny(['\r', '\n']);
        return nl < 0 ? message : message[..nl];
    }
}
