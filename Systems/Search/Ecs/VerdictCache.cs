using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// Memoizes the environment's verdicts per problem, so a step written again (by another agent on the same problem, or
/// by a later attempt of the same agent) is not verified again. Sound because environments are deterministic and their
/// states immutable (the <see cref="IEnvironment"/> contract): a step's verdict depends only on the problem, the lines
/// before it and its text. A step is keyed by the 64-bit hash of the path that ends with it
/// (<see cref="SearchNode.PathHash"/> of the new node), and its text is compared on a hit, so two texts after one path
/// never share a verdict. Each problem's table lives as long as the problem does. Thread-safe. The ledger is charged
/// either way: the cache saves wall time, it does not make verifier calls free for the agent.
/// <para>Hot path: an agent looks its problem's <see cref="Table"/> up once per episode (<see cref="For"/>) and counts
/// its hits and misses locally, adding them here once per tick (<see cref="Count"/>), so agents on different cores do
/// not contend on shared counters.</para>
/// </summary>
public sealed class VerdictCache
{
    private readonly ConditionalWeakTable<Problem, Table> _tables = new();
    private long _hits, _misses;

    /// <summary>The memoized verdicts of one problem.</summary>
    public sealed class Table
    {
        internal readonly ConcurrentDictionary<ulong, (string Text, StepVerdict Verdict)> Steps = new();
        internal readonly ConcurrentDictionary<string, AnswerVerdict> Answers = new(StringComparer.Ordinal);
        // Answer lines as written (e.g. "Answer: 24"), with the answer text they submit: the same line is extracted and
        // hashed once, not once per node.
        internal readonly ConcurrentDictionary<string, (string Answer, AnswerVerdict Verdict)> Lines = new(StringComparer.Ordinal);

        /// <summary>
        /// The verdict on <paramref name="text"/> written in <paramref name="state"/>, where the path ending with the
        /// step hashes to <paramref name="stepPathHash"/>; <paramref name="hit"/> says whether it came from the table.
        /// </summary>
        public StepVerdict CheckStep(IEnvironment env, Problem problem, EnvState state, ulong stepPathHash, string text, out bool hit)
        {
            if (Steps.TryGetValue(stepPathHash, out var e) && string.Equals(e.Text, text, StringComparison.Ordinal))
            {
                hit = true;
                return e.Verdict;
            }
            hit = false;
            var v = EnvironmentGuard.CheckStep(env, problem, state, text);
            // A (2^-64) hash collision between two texts keeps the first entry; the second text is then always
            // verified afresh (correct, only slower).
            Steps.TryAdd(stepPathHash, (text, v));
            return v;
        }

        /// <summary>
        /// The answer that <paramref name="line"/> submits (<paramref name="extract"/> of it) and its verdict, memoized
        /// by the line; <paramref name="hit"/> says whether it came from the table.
        /// </summary>
        public AnswerVerdict CheckAnswerLine(IEnvironment env, Problem problem, string line, Func<string, string> extract, out string answer, out bool hit)
        {
            if (Lines.TryGetValue(line, out var e)) { answer = e.Answer; hit = true; return e.Verdict; }
            answer = extract(line);
            var v = CheckAnswer(env, problem, answer, out hit);
            Lines.TryAdd(line, (answer, v));
            return v;
        }

        /// <summary>The verdict on a final answer; <paramref name="hit"/> says whether it came from the table.</summary>
        public AnswerVerdict CheckAnswer(IEnvironment env, Problem problem, string answer, out bool hit)
        {
            if (Answers.TryGetValue(answer, out var v)) { hit = true; return v; }
            hit = false;
            v = EnvironmentGuard.CheckAnswer(env, problem, answer);
            Answers.TryAdd(answer, v);
            return v;
        }
    }

    /// <summary>Lookups answered from the cache (counts added by <see cref="Count"/>; the search systems add theirs every tick).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that called the environment.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The table of <paramref name="problem"/> (made on first use).</summary>
    public Table For(Problem problem) => _tables.TryGetValue(problem, out var t) ? t : _tables.GetValue(problem, static _ => new Table());

    /// <summary>Adds lookups counted elsewhere to <see cref="Hits"/> and <see cref="Misses"/>.</summary>
    public void Count(long hits, long misses)
    {
        if (hits != 0) Interlocked.Add(ref _hits, hits);
        if (misses != 0) Interlocked.Add(ref _misses, misses);
    }

    /// <summary>The verdict on <paramref name="text"/> written in <paramref name="state"/>; the path ending with the step hashes to <paramref name="stepPathHash"/>.</summary>
    public StepVerdict CheckStep(IEnvironment env, Problem problem, EnvState state, ulong stepPathHash, string text)
    {
        var v = For(problem).CheckStep(env, problem, state, stepPathHash, text, out bool hit);
        Count(hit ? 1 : 0, hit ? 0 : 1);
        return v;
    }

    /// <summary>The verdict on a final answer.</summary>
    public AnswerVerdict CheckAnswer(IEnvironment env, Problem problem, string answer)
    {
        var v = For(problem).CheckAnswer(env, problem, answer, out bool hit);
        Count(hit ? 1 : 0, hit ? 0 : 1);
        return v;
    }
}
