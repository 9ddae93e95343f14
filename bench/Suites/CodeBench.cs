namespace Sim.Bench.Suites;

/// <summary>The code-sandbox half of <see cref="EnvsSuite"/>.</summary>
internal static class CodeBench
{
    public static void Run(BenchReport report, bool quick, Action<double> progress) { }
}
