namespace Sim.Environments.Exact;

/// <summary>
/// What an expression means, for <see cref="ExactExpression"/>: the parser reads the text and calls these as it goes,
/// so one grammar serves an evaluator over <see cref="Rational"/> with rules on literals (countdown), a builder of an
/// expression tree (arith), and an evaluator into linear forms (linear). Each returns false with a one-line reason to
/// refuse (a number that is not given, x times x, division by zero...).
/// </summary>
/// <typeparam name="T">The value of a subexpression.</typeparam>
public interface IExpressionSemantics<T>
{
    /// <summary>A number literal (negative when written with a leading minus and <see cref="ExpressionSyntax.UnaryMinus"/>).</summary>
    bool Number(Rational value, out T result, out string? error);

    /// <summary>A variable named in <see cref="ExpressionSyntax.Variables"/>.</summary>
    bool Variable(char name, out T result, out string? error);

    /// <summary>The negation of a subexpression: <c>-(…)</c>, <c>-x</c>.</summary>
    bool Negate(in T value, out T result, out string? error);

    /// <summary>A binary operation, <paramref name="op"/> one of '+', '-', '*', '/'.</summary>
    bool Apply(char op, in T left, in T right, out T result, out string? error);
}
