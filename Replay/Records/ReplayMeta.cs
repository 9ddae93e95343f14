namespace Sim.Replay;

/// <summary>
/// Optional, non-deterministic facts about a recording (wall-clock time, host name). Written only when asked for
/// (<see cref="ReplayWriterOptions.IncludeMeta"/>), in its own frame, so default replays stay byte-identical.
/// </summary>
/// <param name="Entries">Key/value pairs such as <c>created_utc</c> and <c>host</c>.</param>
public sealed record ReplayMeta(IReadOnlyDictionary<string, string> Entries);
