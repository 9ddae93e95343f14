using System.Reflection;
using Sim.Engine;

namespace Sim.Systems;

/// <summary>
/// Loads users' systems from a compiled assembly (<c>sim run --plugin FILE.dll</c>): every public, non-abstract
/// <see cref="ISystem"/> marked <see cref="RunsInAttribute"/>, made with its parameterless constructor, in the order of
/// the type names (so a plug-in's systems always run in the same order). The assembly references Sim's own
/// (<c>Sim.Engine</c>, <c>Sim.Environments</c>, <c>Sim.Systems</c>...), which resolve to the copies already loaded.
/// </summary>
public static class SystemPlugins
{
    /// <summary>
    /// The plug-in systems of the assembly at <paramref name="path"/>, each with its stage. Throws
    /// <see cref="FileNotFoundException"/> for a missing file and <see cref="ArgumentException"/> for an assembly that
    /// cannot be loaded, has no marked system, or marks one wrongly; each message is one line naming the fault.
    /// </summary>
    public static IReadOnlyList<(Stage Stage, ISystem System)> Load(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"plug-in '{path}' not found");
        Assembly assembly;
        try { assembly = Assembly.LoadFrom(full); }
        catch (BadImageFormatException) { throw new ArgumentException($"plug-in '{path}' is not a .NET assembly"); }
        catch (FileLoadException ex) { throw new ArgumentException($"plug-in '{path}' could not be loaded: {ex.Message}"); }
        Type[] types;
        try { types = assembly.GetExportedTypes(); }
        catch (Exception ex) when (ex is TypeLoadException or ReflectionTypeLoadException or FileNotFoundException)
        {
            throw new ArgumentException($"plug-in '{path}' references something this build of Sim lacks: {ex.Message.Split('\n')[0]}");
        }
        var found = new List<(Stage, ISystem)>();
        foreach (var type in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (type.GetCustomAttribute<RunsInAttribute>() is not { } runsIn) continue;
            if (type.IsAbstract || !typeof(ISystem).IsAssignableFrom(type))
                throw new ArgumentException($"{type.FullName} is marked [RunsIn] but is not a concrete ISystem");
            var stage = Stages.Order.FirstOrDefault(s => s.Name == runsIn.Stage);
            if (stage == default)
                throw new ArgumentException($"{type.FullName} runs in unknown stage '{runsIn.Stage}'; stages are: {string.Join(", ", Stages.Order)}");
            if (type.GetConstructor(Type.EmptyTypes) is null)
                throw new ArgumentException($"{type.FullName} needs a public parameterless constructor to be plugged in");
            found.Add((stage, (ISystem)Activator.CreateInstance(type)!));
        }
        if (found.Count == 0) throw new ArgumentException($"plug-in '{path}' has no public ISystem marked [RunsIn(\"stage\")]");
        return found;
    }
}
