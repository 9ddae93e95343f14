namespace Sim.Systems;

/// <summary>
/// Marks a user's <c>ISystem</c> as a plug-in for <c>sim run --plugin FILE.dll</c> and names the stage of
/// <see cref="Stages"/> it runs in (for example <c>reward_models</c> for a shaping reward, <c>metrics</c> for a counter).
/// The type needs a public parameterless constructor.
/// </summary>
/// <param name="stage">The stage's name.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RunsInAttribute(string stage) : Attribute
{
    /// <summary>The stage's name.</summary>
    public string Stage { get; } = stage;
}
