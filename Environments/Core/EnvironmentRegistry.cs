using System.Collections.Concurrent;

namespace Sim.Environments;

/// <summary>
/// Environments by name. <see cref="Default"/> holds every built-in one; adding your own is one line:
/// <c>EnvironmentRegistry.Default.Register(new MyEnvironment());</c>. Names are case-insensitive.
/// </summary>
public sealed class EnvironmentRegistry
{
    private readonly ConcurrentDictionary<string, IEnvironment> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _order = new();
    private readonly Lock _gate = new();

    /// <summary>The process-wide registry, holding the built-in environments.</summary>
    public static EnvironmentRegistry Default { get; } = CreateBuiltIn();

    /// <summary>A registry with the built-in environments: <c>arith</c>, <c>linear</c>, <c>countdown</c> and its other rule
    /// sets (<c>countdown-all</c>, <c>countdown-rationals</c>, <c>game24</c>), <c>code</c>, <c>judge</c>.</summary>
    public static EnvironmentRegistry CreateBuiltIn()
    {
        var r = new EnvironmentRegistry();
        r.Register(new Arith.ArithEnvironment());
        r.Register(new Linear.LinearEnvironment());
        foreach (var rules in Countdown.CountdownConfig.RuleSets) r.Register(new Countdown.CountdownEnvironment(rules));
        r.Register(new Code.CodeEnvironment());
        r.Register(new Judge.JudgeEnvironment());
        return r;
    }

    /// <summary>Registers an environment under its <see cref="IEnvironment.Name"/>; a name may be registered once.</summary>
    public void Register(IEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        CheckName(environment.Name);
        lock (_gate)
        {
            if (!_byName.TryAdd(environment.Name, environment))
                throw new ArgumentException($"an environment named '{environment.Name}' is already registered");
            _order.Add(environment.Name);
        }
    }

    /// <summary>
    /// Registers the environments of a compiled assembly (<c>--plugin FILE.dll</c>): every public, non-abstract
    /// <see cref="IEnvironment"/> with a public parameterless constructor, in type-name order. Loading the same plug-in
    /// again changes nothing; an environment whose name another type holds is an error. Returns the names. Throws
    /// <see cref="FileNotFoundException"/> or <see cref="ArgumentException"/> with a one-line reason for a missing file,
    /// a file that is not an assembly, or one with no environment.
    /// </summary>
    public IReadOnlyList<string> LoadPlugin(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"plug-in '{path}' not found");
        System.Reflection.Assembly assembly;
        try { assembly = System.Reflection.Assembly.LoadFrom(full); }
        catch (BadImageFormatException) { throw new ArgumentException($"plug-in '{path}' is not a .NET assembly"); }
        var names = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (type.IsAbstract || !typeof(IEnvironment).IsAssignableFrom(type) || type.GetConstructor(Type.EmptyTypes) is null) continue;
            IEnvironment env;
            try { env = (IEnvironment)Activator.CreateInstance(type)!; }
            catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is { } inner)
            {
                // The plug-in's own fault: name its type, not the loader.
                throw new InvalidOperationException($"plug-in environment {type.FullName} failed in its constructor: {inner.GetType().Name}: {EnvironmentGuard.OneLine(inner.Message)}", inner);
            }
            // The same type loaded again is already there; any other holder of the name makes Register refuse it.
            if (Find(env.Name)?.GetType().FullName != type.FullName) Register(env);
            names.Add(env.Name);
        }
        if (names.Count == 0) throw new ArgumentException($"plug-in '{path}' has no public IEnvironment with a parameterless constructor");
        return names;
    }

    // A name is a command-line word: no spaces, and no ':' (which starts an environment's settings, judge:style=0.2).
    private static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsWhiteSpace) || name.Contains(':'))
            throw new ArgumentException($"environment name '{name}' must be non-empty, without spaces or ':'");
    }

    /// <summary>The registered names, in registration order.</summary>
    public IReadOnlyList<string> Names
    {
        get { lock (_gate) return _order.ToArray(); }
    }

    /// <summary>The registered environments, in registration order.</summary>
    public IReadOnlyList<IEnvironment> All => Names.Select(n => _byName[n]).ToArray();

    /// <summary>Finds an environment, or returns null.</summary>
    public IEnvironment? Find(string name) => _byName.TryGetValue(name, out var e) ? e : null;

    /// <summary>
    /// Finds an environment by name, or by spec <c>name:key=value,...</c> for a configurable one
    /// (<see cref="IConfigurableEnvironment"/>: a copy with those settings), or throws <see cref="ArgumentException"/>
    /// listing the known names (or the known settings).
    /// </summary>
    public IEnvironment Get(string name)
    {
        int colon = name.IndexOf(':');
        string bare = colon < 0 ? name : name[..colon].Trim();
        var env = Find(bare) ?? throw new ArgumentException($"unknown environment '{bare}'; known: {string.Join(", ", Names)}");
        if (colon < 0) return env;
        if (env is not IConfigurableEnvironment configurable) throw new ArgumentException($"environment '{bare}' has no settings");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in name[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"environment setting '{part}' must be key=value");
            settings[part[..eq].Trim().ToLowerInvariant()] = part[(eq + 1)..].Trim();
        }
        return configurable.With(settings);
    }

    /// <summary>Loads a reasoning-gym row with the environment named in its metadata (or <paramref name="envName"/>).</summary>
    public Problem Load(ProblemRecord record, string? envName = null)
    {
        string name = envName ?? record.EnvName
            ?? throw new InvalidDataException("problem metadata has no \"env\"; name the environment (--env)");
        return Get(name).Load(record);
    }
}
