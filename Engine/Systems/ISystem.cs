namespace Sim.Engine;

/// <summary>
/// One step of the tick pipeline. Each tick a system's <see cref="BeforeUpdate"/>, <see cref="Update"/> and
/// <see cref="AfterUpdate"/> run in that order. Only <see cref="Update"/> is required.
/// </summary>
public interface ISystem
{
    /// <summary>The name shown by <c>--profile</c>; defaults to the type's name.</summary>
    string Name => GetType().Name;

    /// <summary>
    /// The component and resource types this system reads, as documentation that cannot drift: a test compares every
    /// declaration of the real pipeline with the tick table in <c>docs/architecture.md</c>. Empty when undeclared.
    /// </summary>
    IReadOnlyList<Type> Reads => [];

    /// <summary>The component and resource types this system writes (see <see cref="Reads"/>).</summary>
    IReadOnlyList<Type> Writes => [];

    /// <summary>Called once, before the first tick.</summary>
    void Initialize(World world) { }

    /// <summary>Called each tick before <see cref="Update"/>.</summary>
    void BeforeUpdate(in TickContext tick) { }

    /// <summary>The system's work for one tick.</summary>
    void Update(in TickContext tick);

    /// <summary>Called each tick after <see cref="Update"/>.</summary>
    void AfterUpdate(in TickContext tick) { }
}
