namespace Sim.Replay;

/// <summary>
/// New values of one component for several entities, stored column-wise: <see cref="Entities"/>[i] has the values
/// <see cref="Values"/>[i*stride .. (i+1)*stride), where stride is the component's field count. Column storage keeps
/// the encoding small (raw little-endian floats) and fast to write and read.
/// </summary>
/// <param name="Component">The component id from the header's <see cref="ReplayHeader.Components"/>.</param>
/// <param name="Entities">Entity ids.</param>
/// <param name="Values">Field values, entity-major.</param>
public sealed record ComponentBlock(int Component, int[] Entities, float[] Values);
