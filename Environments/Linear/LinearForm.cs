using Sim.Environments.Exact;

namespace Sim.Environments.Linear;

/// <summary>An exact linear expression <c>A·x + B</c>.</summary>
/// <param name="A">The coefficient of x.</param>
/// <param name="B">The constant.</param>
public readonly record struct LinearForm(Rational A, Rational B)
{
    /// <summary>True when x does not appear.</summary>
    public bool IsConstant => A.IsZero;
}
