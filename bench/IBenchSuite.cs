namespace Sim.Bench;

/// <summary>
/// A named set of measurements run by <c>sim bench &lt;suite&gt;</c>. A suite reports named figures
/// (<c>ecs.create.ns_per_entity</c>) into a <see cref="BenchReport"/>; ratios are computed from figures measured in
/// the same run. Register new suites in <see cref="BenchSuites.All"/>.
/// </summary>
public interface IBenchSuite
{
    /// <summary>The suite's name on the command line.</summary>
    string Name { get; }

    /// <summary>One line on what it measures.</summary>
    string Description { get; }

    /// <summary>Runs the measurements. <paramref name="quick"/> asks for a short run (smaller repeats, same sizes where targets depend on them).</summary>
    void Run(BenchReport report, bool quick, Action<double> progress);
}
