namespace Sim.Environments.Exact;

/// <summary>Why an <see cref="ExactExpression"/> was refused.</summary>
/// <param name="Message">One line, for a verdict's reason or an error message.</param>
/// <param name="Syntax">True when the text is not an expression of the grammar (malformed); false when the semantics
/// refused a well-formed one (against the rules).</param>
public readonly record struct ExpressionError(string Message, bool Syntax);
