using System.CommandLine;

namespace Sim.Cli;

/// <summary>Creates subcommands whose actions run inside <see cref="SimApp.Guard"/> with a <see cref="CliContext"/>.</summary>
public sealed class CommandFactory(GlobalOptions globals, TextWriter output, TextWriter error)
{
    /// <summary>The global options, for commands that need to read them directly.</summary>
    public GlobalOptions Globals { get; } = globals;

    /// <summary>Makes a command whose action is <paramref name="body"/>, guarded for exit codes.</summary>
    public Command Make(string name, string description, Func<CliContext, int> body, params Symbol[] symbols)
    {
        var cmd = new Command(name, description);
        foreach (var s in symbols)
        {
            switch (s)
            {
                case Option o: cmd.Options.Add(o); break;
                case Argument a: cmd.Arguments.Add(a); break;
                case Command c: cmd.Subcommands.Add(c); break;
                default: throw new ArgumentException($"unsupported symbol {s.GetType().Name}");
            }
        }
        cmd.SetAction(parse => SimApp.Guard(new CliContext(parse, Globals, output, error), body));
        return cmd;
    }

    /// <summary>Makes a command that only groups subcommands.</summary>
    public Command Group(string name, string description, params Command[] children)
    {
        var cmd = new Command(name, description);
        foreach (var c in children) cmd.Subcommands.Add(c);
        return cmd;
    }
}
