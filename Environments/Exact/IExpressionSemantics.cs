namespace Sim.Environments.Exact;

/// <summary>
/// What an expression means, for <see cref="ExactExpression"/>: the parser reads the text and calls these as it goes,
/// so one grammar serves an evaluator over <see cref="Rational"/> with rules on literals (countdown), a builder of an
/// expression tree (arith), and an evaluator into linear forms (linear). Each returns false to refuse (a number that is
/// not given, x times x, division by zero...), with the one-line reason in <see cref="Error"/>.
/// </summary>
/// <typeparam name="T">The value of a subexpression.</typeparam>
public interface IExpressionSemantics<T>
{
    /// <summary>A number literal (negative when written with a leading minus and <see cref="ExpressionSyntax.UnaryMinus"/>).</summary>
    bool Number(Rational value, out T result);

    /// <summary>A variable named in <see cref="ExpressionSyntax.Variables"/>.</summary>
    bool Variable(char name, out T result);

    /// <summary>The negation of a subexpression: <c>-(…)</c>, <c>-x</c>.</summary>
    bool Negate(in T value, out T result);

    /// <summary>A binary operation, <paramref name="op"/> one of '+', '-', '*', '/'.</summary>
    bool Apply(char op, in T left, in T right, out T result);

    /// <summary>Why the last call that returned false refused.</summary>
    string? Error { get; }
}
