using System.Globalization;
using Sim.Engine;

namespace Sim.Environments.Code;

/// <summary>
/// Procedural code-task families: each draws its parameters from a seeded stream, so every seed gives a new task with
/// its own reference solution and tests. Difficulty scales the parameters (ranges, input sizes).
/// <list type="bullet">
/// <item><c>poly</c>: evaluate a quadratic with drawn coefficients.</item>
/// <item><c>affine-map</c>: map every element through <c>((x·k + m) mod p + p) mod p</c>.</item>
/// <item><c>filter-count</c>: count the elements divisible by k and greater than t.</item>
/// <item><c>caesar</c>: shift every lower-case letter by k places.</item>
/// </list>
/// </summary>
public static class CodeFamilies
{
    /// <summary>The family names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["poly", "affine-map", "filter-count", "caesar"];

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Generates a task of <paramref name="family"/> at <paramref name="difficulty"/>.</summary>
    public static CodeTask Generate(JsSandbox sandbox, string family, ref Rng rng, int difficulty)
    {
        int range = 5 * difficulty;
        int len = 2 + 2 * difficulty;
        string Arr(ref Rng r, int n, int lo, int hi)
        {
            var xs = new string[n];
            for (int i = 0; i < n; i++) xs[i] = I(r.NextInt(lo, hi + 1));
            return "[" + string.Join(", ", xs) + "]";
        }
        var inputs = new List<string>();
        switch (family)
        {
            case "poly":
            {
                int a = rng.NextInt(-range, range + 1), b = rng.NextInt(-range, range + 1), c = rng.NextInt(-range, range + 1);
                for (int i = 0; i < 6; i++) inputs.Add($"[{I(rng.NextInt(-10 * difficulty, 10 * difficulty + 1))}]");
                return CodeCatalog.Make(sandbox, $"poly-{I(a)}-{I(b)}-{I(c)}", difficulty, "poly", "poly(x: number): number",
                    $"Return {I(a)}*x*x + {I(b)}*x + {I(c)}.", $"function poly(x) {{ return {I(a)} * x * x + {I(b)} * x + {I(c)}; }}", inputs);
            }
            case "affine-map":
            {
                int k = rng.NextInt(2, 3 + range), m = rng.NextInt(0, range + 1), p = rng.NextInt(3, 8 + range);
                inputs.Add("[[]]");
                for (int i = 0; i < 5; i++) inputs.Add($"[{Arr(ref rng, rng.NextInt(1, len + 1), -50, 50)}]");
                return CodeCatalog.Make(sandbox, $"affine-map-{I(k)}-{I(m)}-{I(p)}", difficulty, "affineMap", "affineMap(xs: number[]): number[]",
                    $"Return a new array where each x becomes ((x * {I(k)} + {I(m)}) % {I(p)} + {I(p)}) % {I(p)}.",
                    $"function affineMap(xs) {{ return xs.map(x => ((x * {I(k)} + {I(m)}) % {I(p)} + {I(p)}) % {I(p)}); }}", inputs);
            }
            case "filter-count":
            {
                int k = rng.NextInt(2, 4 + difficulty), t = rng.NextInt(-range, range + 1);
                for (int i = 0; i < 6; i++) inputs.Add($"[{Arr(ref rng, rng.NextInt(0, len + 3), -30, 30)}]");
                return CodeCatalog.Make(sandbox, $"filter-count-{I(k)}-{I(t)}", difficulty, "countMatching", "countMatching(xs: number[]): number",
                    $"Return how many elements are divisible by {I(k)} and greater than {I(t)}.",
                    $"function countMatching(xs) {{ return xs.filter(x => x % {I(k)} === 0 && x > {I(t)}).length; }}", inputs);
            }
            case "caesar":
            {
                int k = rng.NextInt(1, 26);
                const string Letters = "abcdefghijklmnopqrstuvwxyz ";
                for (int i = 0; i < 6; i++)
                {
                    var chars = new char[rng.NextInt(0, 4 * difficulty + 4)];
                    for (int j = 0; j < chars.Length; j++) chars[j] = Letters[rng.NextInt(Letters.Length)];
                    inputs.Add($"[\"{new string(chars)}\"]");
                }
                return CodeCatalog.Make(sandbox, $"caesar-{I(k)}", difficulty, "caesar", "caesar(s: string): string",
                    $"Shift every lower-case letter a-z of s forward by {I(k)} places, wrapping from z to a; keep other characters.",
                    $"function caesar(s) {{ return s.replace(/[a-z]/g, c => String.fromCharCode((c.charCodeAt(0) - 97 + {I(k)}) % 26 + 97)); }}", inputs);
            }
            default:
                throw new ArgumentException($"unknown code family '{family}'; families: {string.Join(", ", Names)}");
        }
    }
}
