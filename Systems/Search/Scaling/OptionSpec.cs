using System.Globalization;

namespace Sim.Systems.Search;

/// <summary>
/// The shared grammar of the command line's component specs (<c>--policy</c>, <c>--rm</c>, <c>--self-eval</c>):
/// <c>kind[:key=value,key=value...]</c>, with numbers in the invariant culture.
/// </summary>
internal static class OptionSpec
{
    /// <summary>The kind (trimmed, lower case) and the text after the first colon (empty without one).</summary>
    public static (string Kind, string Args) Split(string spec)
    {
        int colon = spec.IndexOf(':');
        return colon < 0 ? (spec.Trim().ToLowerInvariant(), "") : (spec[..colon].Trim().ToLowerInvariant(), spec[(colon + 1)..]);
    }

    /// <summary>The <c>key=value</c> pairs of <paramref name="args"/>, keys in lower case; <paramref name="what"/> names
    /// the option in errors (<c>"policy"</c> gives "policy option 'x' must be key=value").</summary>
    public static IEnumerable<(string Key, string Value)> Pairs(string args, string what)
    {
        foreach (var part in args.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq < 0) throw new FormatException($"{what} option '{part}' must be key=value");
            yield return (part[..eq].Trim().ToLowerInvariant(), part[(eq + 1)..].Trim());
        }
    }

    /// <summary><paramref name="value"/> as a finite number, or a <see cref="FormatException"/> naming the option.</summary>
    public static double Number(string what, string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
            ? d : throw new FormatException($"{what} option {key} needs a number, not '{value}'");
}
