using System.Text;
using Sim.Environments.Exact;

namespace Sim.Environments.Arith;

/// <summary>
/// An arithmetic expression as a flat tree of nodes (leaves are exact numbers, inner nodes are + − × ÷), with every
/// inner node's exact value computed once. Parsed from text (<see cref="Parse"/>) or built by the generator.
/// </summary>
public sealed class ArithExpression
{
    /// <summary>The most inner nodes an expression may have (the state is a 64-bit mask over them).</summary>
    public const int MaxOperations = 60;

    /// <summary>One node: a leaf when <see cref="Op"/> is '\0'.</summary>
    /// <param name="Op">'+', '-', '*', '/' or '\0' for a leaf.</param>
    /// <param name="Left">Index of the left child (inner nodes).</param>
    /// <param name="Right">Index of the right child (inner nodes).</param>
    /// <param name="Value">The exact value of the subtree.</param>
    /// <param name="Inner">Index among inner nodes (bit in the state's mask), or -1 for leaves.</param>
    public readonly record struct Node(char Op, int Left, int Right, Rational Value, int Inner);

    internal ArithExpression(Node[] nodes, int root)
    {
        Nodes = nodes;
        Root = root;
        InnerCount = nodes.Count(n => n.Op != '\0');
        var lits = new List<Rational>();
        foreach (var n in nodes)
        {
            if (n.Op == '\0') lits.Add(n.Value);
            else if (IsFractionLiteral(n)) lits.Add(n.Value);
        }
        Literals = lits.Distinct().ToArray();
        Text = Render(root, 0);
    }

    /// <summary>The nodes; children come before parents.</summary>
    public Node[] Nodes { get; }

    /// <summary>The index of the root node.</summary>
    public int Root { get; }

    /// <summary>How many inner nodes (operations) there are.</summary>
    public int InnerCount { get; }

    /// <summary>The exact value.</summary>
    public Rational Value => Nodes[Root].Value;

    /// <summary>The values written in the problem: leaves, and integer fractions such as 3/4 read as literals.</summary>
    public Rational[] Literals { get; }

    /// <summary>The canonical text, with the parentheses it needs.</summary>
    public string Text { get; }

    /// <summary>True for a division of two non-negative integer leaves, which a person reads as a fraction literal.</summary>
    public bool IsFractionLiteral(Node n) =>
        n.Op == '/' && Nodes[n.Left].Op == '\0' && Nodes[n.Right].Op == '\0' && Nodes[n.Left].Value.IsInteger && Nodes[n.Right].Value.IsInteger
        && Nodes[n.Left].Value.Sign >= 0 && Nodes[n.Right].Value.Sign > 0;

    private static int Prec(char op) => op is '+' or '-' ? 1 : op is '*' or '/' ? 2 : 3;

    private string Render(int i, int parentPrec, bool rightOfNonCommutative = false)
    {
        var n = Nodes[i];
        if (n.Op == '\0')
        {
            string s = n.Value.ToString();
            return n.Value.Sign < 0 || !n.Value.IsInteger ? $"({s})" : s;
        }
        if (IsFractionLiteral(n)) return $"({Nodes[n.Left].Value}/{Nodes[n.Right].Value})";
        int p = Prec(n.Op);
        string body = $"{Render(n.Left, p)} {n.Op} {Render(n.Right, p, n.Op is '-' or '/')}";
        return p < parentPrec || (p == parentPrec && rightOfNonCommutative) ? $"({body})" : body;
    }

    /// <summary>Builds an expression from nodes (children first); throws <see cref="ArgumentException"/> on division by zero.</summary>
    public static ArithExpression FromNodes(IReadOnlyList<(char Op, int Left, int Right, Rational Leaf)> spec)
    {
        var nodes = new Node[spec.Count];
        int inner = 0;
        for (int i = 0; i < spec.Count; i++)
        {
            var (op, l, r, leaf) = spec[i];
            if (op == '\0') { nodes[i] = new Node('\0', -1, -1, leaf, -1); continue; }
            if (!BinaryStep.TryApply(nodes[l].Value, op, nodes[r].Value, out var v)) throw new ArgumentException("division by zero in the expression");
            nodes[i] = new Node(op, l, r, v, inner++);
        }
        if (inner > MaxOperations) throw new ArgumentException($"more than {MaxOperations} operations");
        return new ArithExpression(nodes, spec.Count - 1);
    }

    /// <summary>
    /// Parses an expression of exact numbers, + − × ÷, parentheses and unary minus. Throws <see cref="FormatException"/>
    /// with a one-line reason on bad input (and on division by zero).
    /// </summary>
    public static ArithExpression Parse(string text)
    {
        if (text.Length > 2000) throw new FormatException("expression longer than 2000 characters");
        var list = new List<(char, int, int, Rational)>();
        int pos = 0;
        int root = ParseSum(text, ref pos, list, 0);
        RationalParser.SkipSpaces(text, ref pos);
        if (pos != text.Length) throw new FormatException($"unexpected '{text[pos]}' at position {pos + 1} of the expression");
        if (root != list.Count - 1) throw new FormatException("internal: root is not last");
        return FromNodes(list);
    }

    private static int ParseSum(string s, ref int pos, List<(char, int, int, Rational)> list, int depth)
    {
        int left = ParseProduct(s, ref pos, list, depth);
        while (true)
        {
            RationalParser.SkipSpaces(s, ref pos);
            if (pos >= s.Length) return left;
            char op = BinaryStep.NormalizeOp(s[pos]);
            if (op is not ('+' or '-')) return left;
            pos++;
            int right = ParseProduct(s, ref pos, list, depth);
            list.Add((op, left, right, default));
            left = list.Count - 1;
        }
    }

    private static int ParseProduct(string s, ref int pos, List<(char, int, int, Rational)> list, int depth)
    {
        int left = ParseUnary(s, ref pos, list, depth);
        while (true)
        {
            RationalParser.SkipSpaces(s, ref pos);
            if (pos >= s.Length) return left;
            char op = BinaryStep.NormalizeOp(s[pos]);
            if (op is not ('*' or '/')) return left;
            pos++;
            int right = ParseUnary(s, ref pos, list, depth);
            list.Add((op, left, right, default));
            left = list.Count - 1;
        }
    }

    private static int ParseUnary(string s, ref int pos, List<(char, int, int, Rational)> list, int depth)
    {
        if (depth > 50) throw new FormatException("expression nested too deeply");
        RationalParser.SkipSpaces(s, ref pos);
        if (pos >= s.Length) throw new FormatException("expression ends early");
        if (RationalParser.IsMinus(s[pos]))
        {
            pos++;
            RationalParser.SkipSpaces(s, ref pos);
            // A negative literal stays a leaf; a negated subexpression becomes 0 - e.
            if (pos < s.Length && char.IsAsciiDigit(s[pos]) && RationalParser.TryParseUnsigned(s, ref pos, out var lit))
            {
                list.Add(('\0', -1, -1, -lit));
                return list.Count - 1;
            }
            list.Add(('\0', -1, -1, Rational.Zero));
            int zero = list.Count - 1;
            int inner = ParseUnary(s, ref pos, list, depth + 1);
            list.Add(('-', zero, inner, default));
            return list.Count - 1;
        }
        if (s[pos] == '(')
        {
            pos++;
            int e = ParseSum(s, ref pos, list, depth + 1);
            RationalParser.SkipSpaces(s, ref pos);
            if (pos >= s.Length || s[pos] != ')') throw new FormatException("expected ')' in the expression");
            pos++;
            return e;
        }
        if (!RationalParser.TryParseUnsigned(s, ref pos, out var v)) throw new FormatException($"expected a number at position {pos + 1} of the expression");
        list.Add(('\0', -1, -1, v));
        return list.Count - 1;
    }

    /// <summary>The reference steps: every operation in post-order, as <c>a op b = c</c>.</summary>
    public List<string> ReferenceSteps()
    {
        var steps = new List<string>();
        foreach (var n in Nodes)
        {
            if (n.Op == '\0' || IsFractionLiteral(n)) continue;
            steps.Add($"{Operand(Nodes[n.Left].Value)} {n.Op} {Operand(Nodes[n.Right].Value)} = {n.Value}");
        }
        return steps;
    }

    /// <summary>Writes an operand so the step parser reads it back as one value.</summary>
    public static string Operand(Rational v) => v.IsInteger && v.Sign >= 0 ? v.ToString() : $"({v})";

    /// <inheritdoc />
    public override string ToString() => Text;

    internal static string Describe(IEnumerable<Rational> values)
    {
        var sb = new StringBuilder();
        foreach (var v in values) { if (sb.Length > 0) sb.Append(", "); sb.Append(v); }
        return sb.ToString();
    }
}
