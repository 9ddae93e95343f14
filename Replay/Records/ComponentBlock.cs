namespace Sim.Replay;

/// <summary>
/// New values of one component for several entities, stored column-wise: <see cref="Entities"/>[i] has the values
/// <see cref="Values"/>[i*stride .. (i+1)*stride), where stride is the component's field count. Column storage keeps
/// the encoding small (raw little-endian floats) and fast to write and read.
/// </summary>
/// <param name="Component">The component id from the header's <see cref="ReplayHeader.Components"/>.</param>
/// <param name="Entities">Entity ids.</param>
/// <param name="Values">Field values, entity-major.</param>
public sealed record ComponentBlock(int Component, int[] Entities, float[] Values)
{
    /// <summary>
    /// A block over the first <paramref name="rows"/> ids and <paramref name="valueCount"/> values of buffers rented
    /// from a <see cref="ReplayWriter"/> (longer than needed, returned to it once the block is encoded). Only the
    /// recorder makes these; blocks read from a file always hold exact arrays.
    /// </summary>
    internal ComponentBlock(int component, int[] entities, float[] values, int rows, int valueCount) : this(component, entities, values)
    {
        Rows = rows;
        ValueCount = valueCount;
        Rented = true;
    }

    /// <summary>Rows in use (the length of <see cref="Entities"/> unless the buffers are rented).</summary>
    internal int Rows { get; } = Entities.Length;

    /// <summary>Values in use (the length of <see cref="Values"/> unless the buffers are rented).</summary>
    internal int ValueCount { get; } = Values.Length;

    /// <summary>True when the arrays were rented from the writer, which takes them back after encoding.</summary>
    internal bool Rented { get; }

    /// <summary>The ids in use.</summary>
    internal ReadOnlySpan<int> EntitySpan => Entities.AsSpan(0, Rows);

    /// <summary>The values in use.</summary>
    internal ReadOnlySpan<float> ValueSpan => Values.AsSpan(0, ValueCount);
}
