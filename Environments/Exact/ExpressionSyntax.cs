namespace Sim.Environments.Exact;

/// <summary>
/// What an <see cref="ExactExpression"/> accepts beyond numbers, + − × ÷ and parentheses (which it always reads, with
/// × and ÷ binding tighter, left to right).
/// </summary>
/// <param name="MaxDepth">The deepest nesting of parentheses and signs accepted (a hostile-input guard).</param>
/// <param name="UnaryMinus">A leading minus: <c>-3</c> is the literal −3, <c>-(…)</c> negates.</param>
/// <param name="UnaryPlus">A leading plus, which changes nothing.</param>
/// <param name="ImplicitMultiplication">A factor directly followed by '(' or a variable multiplies: <c>3x</c>, <c>2(x+1)</c>.</param>
/// <param name="Variables">Letters read as variables (for example "xX"); none by default.</param>
public readonly record struct ExpressionSyntax(
    int MaxDepth = 50,
    bool UnaryMinus = true,
    bool UnaryPlus = false,
    bool ImplicitMultiplication = false,
    string Variables = "")
{
    /// <summary>The defaults: depth 50, unary minus, no unary plus, no implicit multiplication, no variables (as
    /// <c>default</c> would not give them).</summary>
    public ExpressionSyntax() : this(50) { }
}
