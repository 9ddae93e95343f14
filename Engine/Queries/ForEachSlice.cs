namespace Sim.Engine;

/// <summary>A callback over one <see cref="QuerySlice"/>: a run of matching rows of one chunk.</summary>
public delegate void ForEachSlice(in QuerySlice slice);
