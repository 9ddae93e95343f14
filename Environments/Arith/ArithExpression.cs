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
    /// Parses an expression of exact numbers, + − × ÷, parentheses and unary minus (with <see cref="ExactExpression"/>).
    /// Throws <see cref="FormatException"/> with a one-line reason on bad input, and <see cref="ArgumentException"/> on
    /// division by zero.
    /// </summary>
    public static ArithExpression Parse(string text)
    {
        var builder = new TreeBuilder(new List<(char, int, int, Rational)>());
        if (!ExactExpression.TryParse<int, TreeBuilder>(text, Syntax, ref builder, out int root, out var error))
            throw new FormatException($"{error.Message} in the expression");
        if (root != builder.Nodes.Count - 1) throw new FormatException("internal: root is not last");
        return FromNodes(builder.Nodes);
    }

    private static readonly ExpressionSyntax Syntax = new(MaxDepth: 50, UnaryMinus: true);

    // Builds the node list, children first: a negative literal stays a leaf; a negated subexpression becomes 0 - e.
    private readonly struct TreeBuilder(List<(char Op, int Left, int Right, Rational Leaf)> nodes) : IExpressionSemantics<int>
    {
        public List<(char Op, int Left, int Right, Rational Leaf)> Nodes { get; } = nodes;

        public string? Error => "arithmetic expressions have no variables";

        public bool Number(Rational value, out int result)
        {
            Nodes.Add(('\0', -1, -1, value));
            result = Nodes.Count - 1;
            return true;
        }

        public bool Variable(char name, out int result)
        {
            result = -1;
            return false;
        }

        public bool Negate(in int value, out int result)
        {
            Nodes.Add(('\0', -1, -1, Rational.Zero));
            Nodes.Add(('-', Nodes.Count - 1, value, default));
            result = Nodes.Count - 1;
            return true;
        }

        public bool Apply(char op, in int left, in int right, out int result)
        {
            Nodes.Add((op, left, right, default));
            result = Nodes.Count - 1;
            return true;
        }
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
