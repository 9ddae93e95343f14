using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// Memoizes the environment's verdicts per problem, so a step written again (by another agent on the same problem, or
/// by a later attempt of the same agent) is not verified again. Sound because environments are deterministic and their
/// states immutable (the <see cref="IEnvironment"/> contract): a step's verdict depends only on the problem, the lines
/// before it (keyed by the 64-bit hash of the path, <see cref="SearchNode.PathHash"/>) and its text. Each problem's table
/// lives as long as the problem does. Thread-safe. The ledger is charged either way: the cache saves wall time, it does
/// not make verifier calls free for the agent.
/// </summary>
public sealed class VerdictCache
{
    private readonly ConditionalWeakTable<Problem, Table> _tables = new();
    private long _hits, _misses;

    private sealed class Table
    {
        public readonly ConcurrentDictionary<(ulong Path, string Text), StepVerdict> Steps = new();
        public readonly ConcurrentDictionary<string, AnswerVerdict> Answers = new(StringComparer.Ordinal);
    }

    /// <summary>Lookups answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that called the environment.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The verdict on <paramref name="text"/> written after the path hashed <paramref name="pathHash"/>, which led to <paramref name="state"/>.</summary>
    public StepVerdict CheckStep(IEnvironment env, Problem problem, EnvState state, ulong pathHash, string text)
    {
        var table = _tables.GetValue(problem, _ => new Table());
        if (table.Steps.TryGetValue((pathHash, text), out var v)) { Interlocked.Increment(ref _hits); return v; }
        Interlocked.Increment(ref _misses);
        v = env.CheckStep(problem, state, text);
        table.Steps.TryAdd((pathHash, text), v);
        return v;
    }

    /// <summary>The verdict on a final answer.</summary>
    public AnswerVerdict CheckAnswer(IEnvironment env, Problem problem, string answer)
    {
        var table = _tables.GetValue(problem, _ => new Table());
        if (table.Answers.TryGetValue(answer, out var v)) { Interlocked.Increment(ref _hits); return v; }
        Interlocked.Increment(ref _misses);
        v = env.CheckAnswer(problem, answer);
        table.Answers.TryAdd(answer, v);
        return v;
    }
}
