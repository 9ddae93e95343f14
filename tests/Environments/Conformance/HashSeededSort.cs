using Sim.Environments;

namespace Sim.Tests.Environments.Conformance;

/// <summary>
/// A planted bug only a second process can see: the sort example whose generator derives its seed with
/// <c>string.GetHashCode</c>, which .NET randomises per process. Public with a parameterless constructor, so
/// <c>sim envs check hash-seeded-sort --plugin Sim.Tests.dll</c> can load it in both processes.
/// </summary>
public sealed class HashSeededSort : TaskEnvironment<SortEnvironment.Spec, SortEnvironment.State>
{
    private readonly SortEnvironment _inner = new();

    /// <inheritdoc />
    public override string Name => "hash-seeded-sort";

    /// <inheritdoc />
    public override string Description => "the sort example with a per-process seed (a planted bug)";

    /// <inheritdoc />
    public override DifficultySpec Difficulty => _inner.Difficulty;

    /// <inheritdoc />
    public override Problem Sample(ulong seed, int difficulty)
    {
        // The bug: GetHashCode differs between processes, so the same seed gives another problem in another process.
        ulong derived = (ulong)(uint)$"sort-{seed}".GetHashCode();
        var p = _inner.Sample(derived, difficulty);
        return new Problem(Name, $"hash-sort-d{difficulty}-s{seed}", p.Question, p.Answer, p.Difficulty, seed, p.Parameters, p.Spec);
    }

    /// <inheritdoc />
    public override Problem Load(ProblemRecord record)
    {
        var p = _inner.Load(record);
        return new Problem(Name, p.Id, p.Question, p.Answer, p.Difficulty, p.Seed, p.Parameters, p.Spec);
    }

    private static Problem Inner(SortEnvironment.Spec spec) => new("sort", "x", "", "", 1, 0, new(), spec);

    /// <inheritdoc />
    protected override SortEnvironment.State Start(SortEnvironment.Spec spec) => (SortEnvironment.State)_inner.Start(Inner(spec));

    /// <inheritdoc />
    protected override StepVerdict CheckStep(SortEnvironment.Spec spec, SortEnvironment.State state, string step) => _inner.CheckStep(Inner(spec), state, step);

    /// <inheritdoc />
    protected override AnswerVerdict CheckAnswer(SortEnvironment.Spec spec, string answer) => _inner.CheckAnswer(Inner(spec), answer);

    /// <inheritdoc />
    protected override Solution? Solve(SortEnvironment.Spec spec) => _inner.Solve(Inner(spec));
}
