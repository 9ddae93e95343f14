namespace Sim.Replay;

/// <summary>
/// The first frame of a replay: what made it and how to read it. Contains nothing that varies between two runs of
/// the same seed and config (no time, no host), so replays are byte-identical.
/// </summary>
/// <param name="SchemaVersion">Schema version the file was written with.</param>
/// <param name="Seed">World seed.</param>
/// <param name="CodeVersion">Version of the code that wrote it.</param>
/// <param name="Source">What produced it (<c>demo</c>, <c>run</c>, <c>bench</c>...).</param>
/// <param name="ConfigJson">The run's configuration as JSON.</param>
/// <param name="Components">The recorded components.</param>
/// <param name="ChunkTicks">Most ticks per chunk (a keyframe starts each chunk).</param>
public sealed record ReplayHeader(
    int SchemaVersion, ulong Seed, string CodeVersion, string Source, string ConfigJson,
    IReadOnlyList<ComponentSchema> Components, int ChunkTicks)
{
    /// <summary>Finds a component by name, or null.</summary>
    public ComponentSchema? Component(string name) => Components.FirstOrDefault(c => c.Name == name);
}
