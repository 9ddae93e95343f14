using System.Runtime.CompilerServices;
using System.Text;
using Sim.Environments.Exact;

namespace Sim.Environments.Countdown;

/// <summary>
/// The exact solvability oracle and reference solver for countdown-style problems: can <see cref="Target"/> be made
/// from a multiset of numbers, combining two at a time with + − × ÷ under the rules? Exhaustive depth-first search over
/// exact <see cref="Rational"/> values; states of five or more numbers are memoized (per thread, keyed by the sorted
/// multiset, the target and the rules), so the step oracle is cheap when many agents work on the same problem.
/// Small states need no memo: from four numbers the search is a few thousand exact operations and allocates nothing.
/// Thread-safe.
/// </summary>
public sealed partial class CountdownSolver
{
    private const int MemoFrom = 5;
    private const int MemoCapacity = 1 << 18;

    [ThreadStatic] private static Rational[]? t_buffer;
    [ThreadStatic] private static Dictionary<string, bool>? t_memo;

    private readonly string _memoPrefix;

    /// <summary>Makes a solver for one target under one set of rules.</summary>
    public CountdownSolver(Rational target, bool allowRationals, bool mustUseAll)
    {
        Target = target;
        AllowRationals = allowRationals;
        MustUseAll = mustUseAll;
        _memoPrefix = $"{target}|{(allowRationals ? 'q' : 'n')}{(mustUseAll ? 'a' : 's')}|";
    }

    /// <summary>The value to make.</summary>
    public Rational Target { get; }

    /// <summary>Any rational intermediate values (true) or positive integers with exact division only (false).</summary>
    public bool AllowRationals { get; }

    /// <summary>Every number must be used (true), or any subset (false).</summary>
    public bool MustUseAll { get; }

    /// <summary>True when the target can be made from <paramref name="numbers"/> under the rules.</summary>
    public bool CanReach(ReadOnlySpan<Rational> numbers)
    {
        int n = numbers.Length;
        if (n == 0) return false;
        if (TrySmall(numbers, out bool small)) return small;
        int need = n * (n + 1) / 2 + 1;
        var buf = t_buffer;
        if (buf is null || buf.Length < need) t_buffer = buf = new Rational[Math.Max(need, 64)];
        numbers.CopyTo(buf);
        return Search(buf, 0, n);
    }

    /// <summary>
    /// Whether <paramref name="value"/> is a legal intermediate value under the rules: any rational, or a positive integer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsLegalValue(Rational value) => AllowRationals || (value.Sign > 0 && value.IsInteger);

    private bool Search(Rational[] buf, int off, int n)
    {
        if (n <= 4 && TrySmall(buf.AsSpan(off, n), out bool small)) return small;
        var target = Target;
        for (int i = 0; i < n; i++)
            if (buf[off + i] == target && (!MustUseAll || n == 1)) return true;
        if (n == 1) return false;

        string? key = null;
        Dictionary<string, bool>? memo = null;
        if (n >= MemoFrom)
        {
            memo = t_memo ??= new Dictionary<string, bool>();
            key = Key(buf, off, n);
            if (memo.TryGetValue(key, out bool known)) return known;
        }

        bool found = false;
        int next = off + n;
        int m = n - 2;
        for (int i = 0; i < n - 1 && !found; i++)
        {
            var a = buf[off + i];
            for (int j = i + 1; j < n; j++)
            {
                var b = buf[off + j];
                int w = next;
                for (int k = 0; k < n; k++)
                    if (k != i && k != j) buf[w++] = buf[off + k];
                if (TryChildren(buf, next, m, a, b)) { found = true; break; }
            }
        }

        if (memo is not null)
        {
            if (memo.Count >= MemoCapacity) memo.Clear();
            memo[key!] = found;
        }
        return found;
    }

    // Tries every result of combining a and b, placed at buf[next + m], as the last number of an (m + 1)-number state.
    private bool TryChildren(Rational[] buf, int next, int m, Rational a, Rational b)
    {
        int slot = next + m;
        int n1 = m + 1;
        if (AllowRationals)
        {
            buf[slot] = a + b; if (Search(buf, next, n1)) return true;
            buf[slot] = a * b; if (Search(buf, next, n1)) return true;
            buf[slot] = a - b; if (Search(buf, next, n1)) return true;
            if (a != b) { buf[slot] = b - a; if (Search(buf, next, n1)) return true; }
            if (!b.IsZero) { buf[slot] = a / b; if (Search(buf, next, n1)) return true; }
            if (!a.IsZero && a != b) { buf[slot] = b / a; if (Search(buf, next, n1)) return true; }
            return false;
        }

        // Positive integers only: both operands are positive integers by induction.
        buf[slot] = a + b; if (Search(buf, next, n1)) return true;
        buf[slot] = a * b; if (Search(buf, next, n1)) return true;
        int c = a.CompareTo(b);
        if (c > 0) { buf[slot] = a - b; if (Search(buf, next, n1)) return true; }
        else if (c < 0) { buf[slot] = b - a; if (Search(buf, next, n1)) return true; }
        if (Rational.TryDivide(a, b, out var q) && q.IsInteger) { buf[slot] = q; if (Search(buf, next, n1)) return true; }
        if (c != 0 && Rational.TryDivide(b, a, out var q2) && q2.IsInteger) { buf[slot] = q2; if (Search(buf, next, n1)) return true; }
        return false;
    }

    private string Key(Rational[] buf, int off, int n)
    {
        Span<int> order = stackalloc int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // Insertion sort by value: n is small.
        for (int i = 1; i < n; i++)
        {
            int x = order[i], j = i - 1;
            while (j >= 0 && buf[off + order[j]] > buf[off + x]) { order[j + 1] = order[j]; j--; }
            order[j + 1] = x;
        }
        var sb = new StringBuilder(_memoPrefix, _memoPrefix.Length + n * 6);
        for (int i = 0; i < n; i++) sb.Append(buf[off + order[i]].ToString()).Append(',');
        return sb.ToString();
    }

    /// <summary>
    /// A solution as steps (<c>a op b = c</c>) and one expression, or null when the target cannot be made.
    /// </summary>
    public Solution? Solve(ReadOnlySpan<Rational> numbers)
    {
        if (!CanReach(numbers)) return null;
        var values = new List<Rational>(numbers.ToArray());
        var exprs = values.Select(v => v.Sign < 0 || !v.IsInteger ? $"({v})" : v.ToString()).ToList();
        var steps = new List<string>();
        // One buffer for every candidate's remaining numbers: CanReach reads it and keeps nothing.
        var scratch = new Rational[Math.Max(1, values.Count)];
        while (true)
        {
            int hit = -1;
            for (int k = 0; k < values.Count && hit < 0; k++) if (values[k] == Target) hit = k;
            if (hit >= 0 && (!MustUseAll || values.Count == 1)) return new Solution(steps, StripOuter(exprs[hit]));
            bool advanced = false;
            for (int i = 0; i < values.Count && !advanced; i++)
            {
                for (int j = 0; j < values.Count && !advanced; j++)
                {
                    if (i == j) continue;
                    foreach (char op in "+*-/")
                    {
                        if ((op == '+' || op == '*') && j < i) continue;
                        if (!BinaryStep.TryApply(values[i], op, values[j], out var r) || !IsLegalValue(r)) continue;
                        var rest = scratch.AsSpan(0, values.Count - 1);
                        int w = 0;
                        for (int k = 0; k < values.Count; k++) if (k != i && k != j) rest[w++] = values[k];
                        rest[w] = r;
                        if (!CanReach(rest)) continue;
                        steps.Add($"{Operand(values[i])} {op} {Operand(values[j])} = {r}");
                        string e = $"({exprs[i]}{op}{exprs[j]})";
                        int hi = Math.Max(i, j), lo = Math.Min(i, j);
                        values.RemoveAt(hi); exprs.RemoveAt(hi);
                        values.RemoveAt(lo); exprs.RemoveAt(lo);
                        values.Add(r); exprs.Add(e);
                        advanced = true;
                        break;
                    }
                }
            }
            if (!advanced) throw new InvalidOperationException("solver invariant broken: reachable state without a reachable child");
        }
    }

    private static string Operand(Rational v) => v.IsInteger && v.Sign >= 0 ? v.ToString() : $"({v})";

    private static string StripOuter(string e) => e.Length > 1 && e[0] == '(' && e[^1] == ')' && Balanced(e.AsSpan(1, e.Length - 2)) ? e[1..^1] : e;

    private static bool Balanced(ReadOnlySpan<char> s)
    {
        int d = 0;
        foreach (char c in s)
        {
            if (c == '(') d++;
            else if (c == ')' && --d < 0) return false;
        }
        return d == 0;
    }
}
