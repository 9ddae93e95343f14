using System.Text.Json.Nodes;
using Sim.Environments;

namespace Sim.Tests.Environments;

// The worked example of docs/writing-environments.md, kept here so it always compiles and passes the checker.

/// <summary>
/// Sort a list by swapping neighbours. Observation: the list. Step: <c>swap i</c> swaps positions i and i+1 (0-based).
/// Process reward in [0, 1]: 1 when the swap removes an inversion, 0.1 when it adds one, 0 when invalid. Answer: the
/// sorted list, space-separated. Episode ends when the list is sorted. Difficulty 1–5: the list has difficulty + 3 items.
/// </summary>
public sealed class SortEnvironment : TaskEnvironment<SortEnvironment.Spec, SortEnvironment.State>
{
    public sealed record Spec(int[] Items);

    public sealed class State(int[] items) : EnvState
    {
        public int[] Items { get; } = items;
        public override string ToString() => string.Join(" ", Items);
    }

    public override string Name => "sort";
    public override string Description => "sort a list by swapping neighbours";
    public override DifficultySpec Difficulty { get; } = new(1, 5, 2, "the list has difficulty + 3 items");

    public override Problem Sample(ulong seed, int difficulty)
    {
        Difficulty.Check(difficulty);
        var rng = EnvRandom.For(Name, seed, difficulty);
        var items = new int[difficulty + 3];
        for (int i = 0; i < items.Length; i++) items[i] = rng.NextInt(0, 100);
        return Make(items, $"sort-d{difficulty}-s{seed}", difficulty, seed);
    }

    public override Problem Load(ProblemRecord record)
    {
        if (record.Metadata["items"] is not JsonArray arr || arr.Count is 0 or > 100)
            throw new InvalidDataException("metadata \"items\" must be an array of 1 to 100 integers");
        var items = arr.Select(n => n is JsonValue v && v.TryGetValue(out int x) ? x : throw new InvalidDataException("items must be integers")).ToArray();
        return Make(items, record.Id, Metadata.Difficulty(record.Metadata), Metadata.Seed(record.Metadata));
    }

    private Problem Make(int[] items, string id, int difficulty, ulong? seed) =>
        new(Name, id, $"Sort {string.Join(" ", items)} by swapping neighbours ('swap i').", string.Join(" ", items.Order()),
            difficulty, seed, new JsonObject { ["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()) }, new Spec(items));

    protected override State Start(Spec spec) => new((int[])spec.Items.Clone());

    protected override StepVerdict CheckStep(Spec spec, State state, string step)
    {
        var parts = step.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || parts[0] != "swap" || !int.TryParse(parts[1], out int i))
            return StepVerdict.Reject(VerdictKind.Malformed, "expected 'swap i'", state, Solvability.Yes);
        if (i < 0 || i + 1 >= state.Items.Length)
            return StepVerdict.Reject(VerdictKind.Invalid, $"position {i} has no right neighbour", state, Solvability.Yes);
        var next = (int[])state.Items.Clone();
        (next[i], next[i + 1]) = (next[i + 1], next[i]);
        bool progress = state.Items[i] > state.Items[i + 1];
        bool sorted = next.SequenceEqual(next.Order());
        return new StepVerdict(VerdictKind.Ok, progress ? "removed an inversion" : "added an inversion", progress ? 1.0 : 0.1,
            new State(next) { Depth = state.Depth + 1 }, Solvability.Yes, sorted);
    }

    protected override AnswerVerdict CheckAnswer(Spec spec, string answer)
    {
        var parts = answer.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var numbers = new List<int>();
        foreach (var p in parts)
            if (int.TryParse(p, out int x)) numbers.Add(x);
            else return AnswerVerdict.Wrong(VerdictKind.Malformed, "the answer must be integers separated by spaces");
        return numbers.SequenceEqual(spec.Items.Order()) ? AnswerVerdict.Right("sorted") : AnswerVerdict.Wrong(VerdictKind.WrongAnswer, "not the sorted list");
    }

    protected override Solution? Solve(Spec spec)
    {
        var items = (int[])spec.Items.Clone();
        var steps = new List<string>();
        for (int end = items.Length - 1; end > 0; end--)
            for (int i = 0; i < end; i++)
                if (items[i] > items[i + 1]) { (items[i], items[i + 1]) = (items[i + 1], items[i]); steps.Add($"swap {i}"); }
        return new Solution(steps, string.Join(" ", items));
    }
}
