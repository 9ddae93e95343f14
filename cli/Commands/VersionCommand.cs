using System.Reflection;
using System.Text.Json;

namespace Sim.Cli.Commands;

/// <summary><c>sim version</c>: the code version, runtime and machine.</summary>
public static class VersionCommand
{
    /// <summary>The code version written into replays and reports.</summary>
    public static string CodeVersion =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Builds the command.</summary>
    public static System.CommandLine.Command Create(CommandFactory f) => f.Make("version", "Print the version of sim and its runtime", ctx =>
    {
        var info = new Dictionary<string, object>
        {
            ["sim"] = CodeVersion,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["cores"] = Environment.ProcessorCount,
        };
        if (ctx.Json) ctx.Out.WriteLine(JsonSerializer.Serialize(info));
        else foreach (var (k, v) in info) ctx.Out.WriteLine($"{k,-8} {v}");
        return ExitCodes.Ok;
    });
}
