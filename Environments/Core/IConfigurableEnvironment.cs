namespace Sim.Environments;

/// <summary>
/// A capability of environments with settings a user may change per run, written after the name in an environment spec:
/// <c>--env judge:length=0.1,style=0</c>. The registry (<see cref="EnvironmentRegistry.Get"/>) makes the configured copy;
/// <c>sim envs show NAME</c> lists the settings with their defaults.
/// </summary>
public interface IConfigurableEnvironment
{
    /// <summary>The settings and their current values, in a fixed order.</summary>
    IReadOnlyList<EnvironmentOption> Options { get; }

    /// <summary>
    /// A copy with the given settings changed (keys as in <see cref="Options"/>). Throws <see cref="ArgumentException"/>
    /// naming the key for an unknown key or a value out of range, and <see cref="FormatException"/> for a value that is
    /// not a number.
    /// </summary>
    IEnvironment With(IReadOnlyDictionary<string, string> settings);
}
