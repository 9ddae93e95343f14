namespace Sim.Engine;

/// <summary>
/// One named step of a tick. The engine knows stages only as ordered values: which stages exist, and in what order,
/// is decided by the code that builds the <see cref="Pipeline"/> (Sim's reasoning tick is written in
/// <c>Sim.Systems.Stages</c>), the way Bepu's timestepper owns its own order.
/// </summary>
/// <param name="Name">The stage's name, as <c>--profile</c> and error messages show it.</param>
public readonly record struct Stage(string Name)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}
