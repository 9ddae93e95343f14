using Sim.Bench.Suites;

namespace Sim.Bench;

/// <summary>Every suite <c>sim bench</c> knows. Each issue that adds figures adds its suite here.</summary>
public static class BenchSuites
{
    /// <summary>All suites, by name.</summary>
    public static IReadOnlyList<IBenchSuite> All { get; } =
    [
        new EcsSuite(),
        new AgentsSuite(),
        new EnvsSuite(),
        new SearchSuite(),
        new ReplaySuite(),
        new LearningSuite(),
    ];

    /// <summary>Finds a suite by name, or null.</summary>
    public static IBenchSuite? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
