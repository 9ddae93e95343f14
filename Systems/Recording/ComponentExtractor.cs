namespace Sim.Systems.Recording;

/// <summary>Writes the recorded float fields of component <typeparamref name="T"/> into <paramref name="values"/>.</summary>
public delegate void ComponentExtractor<T>(in T component, Span<float> values);
