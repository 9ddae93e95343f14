namespace Sim.Environments.Linear;

/// <summary>The current equation (the last valid step, or the problem's equation at the start).</summary>
public sealed class LinearState : EnvState
{
    /// <summary>Makes a state.</summary>
    public LinearState(string text, LinearEquation equation)
    {
        Text = text;
        Equation = equation;
    }

    /// <summary>The current equation's text.</summary>
    public string Text { get; }

    /// <summary>The current equation, parsed.</summary>
    public LinearEquation Equation { get; }

    /// <inheritdoc />
    public override string ToString() => Text;
}
