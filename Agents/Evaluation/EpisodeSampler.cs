using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Agents.Evaluation;

/// <summary>
/// Samples independent attempts of a policy on a list of problems, the way <c>sim policy profile</c> and <c>sim eval</c>
/// measure it: each attempt writes one line per round (batched across every attempt of a block of problems) until an
/// <c>Answer:</c> line or the depth limit. Every line is verified by the environment, which keeps each attempt's state
/// (a correction pops the last effective step) and classifies its mistakes: <c>slip</c> (a step the verifier refutes),
/// <c>dead_end</c> (a valid step after which the task cannot be solved), <c>format</c> (a line the environment cannot
/// parse), <c>wrong_answer</c> (a well-formed final answer that is wrong) and <c>no_answer</c> (the depth limit).
/// <para>Attempt i of problem p draws from the key <c>Combine(Combine(seed, p), i)</c> and round r's call from
/// <c>Combine(seed ^ 0x9F0F11E, r)</c>, so the same seed, problems and policy give the same attempts.</para>
/// </summary>
public static class EpisodeSampler
{
    /// <summary>The kinds of mistakes, in the order of <see cref="EpisodeMistakes"/>' arrays.</summary>
    public static readonly IReadOnlyList<string> MistakeKinds = ["slip", "dead_end", "format", "wrong_answer", "no_answer"];

    private const int BlockProblems = 16;

    /// <summary>
    /// Runs <paramref name="samples"/> attempts of <paramref name="policy"/> on each of <paramref name="problems"/>, at
    /// most <paramref name="maxDepth"/> lines each. <paramref name="each"/> gets every finished attempt, ordered by
    /// problem and then by sample, a block of problems at a time (so a problem's attempts arrive together);
    /// <paramref name="progress"/> gets the share of problems done. Returns the mistakes counted by kind.
    /// </summary>
    public static EpisodeMistakes Run(IEnvironment env, IReadOnlyList<Problem> problems, IPolicy policy, int samples, int maxDepth,
        ulong seed, Action<SampledEpisode>? each = null, Action<double>? progress = null)
    {
        if (samples < 1) throw new ArgumentException("samples must be >= 1");
        if (maxDepth < 1) throw new ArgumentException("maxDepth must be >= 1");
        var mistakes = new EpisodeMistakes(new long[MistakeKinds.Count], new long[MistakeKinds.Count]);
        for (int start = 0; start < problems.Count; start += BlockProblems)
        {
            int end = Math.Min(problems.Count, start + BlockProblems);
            RunBlock(env, problems, policy, samples, maxDepth, seed, start, end, mistakes, each);
            progress?.Invoke((double)end / problems.Count);
        }
        return mistakes;
    }

    // One attempt's trace: its lines, the states after its effective steps (a correction pops one), whether it is
    // still running, whether it has made a mistake yet, and what it cost and answered.
    private sealed class Attempt(EnvState start, bool solvable)
    {
        public readonly List<string> Lines = new();
        public readonly List<(EnvState State, bool Solvable)> Stack = [(start, solvable)];
        public bool Running = true, Erred, Correct;
        public int Tokens;
        public string? Answer;
    }

    private static void RunBlock(IEnvironment env, IReadOnlyList<Problem> problems, IPolicy policy, int samples, int maxDepth, ulong seed,
        int start, int end, EpisodeMistakes mistakes, Action<SampledEpisode>? each)
    {
        var attempts = new List<(int Problem, int Index, Attempt A)>();
        for (int p = start; p < end; p++)
        {
            var s0 = env.Start(problems[p]);
            for (int i = 0; i < samples; i++) attempts.Add((p, i, new Attempt(s0, true)));
        }
        var contexts = new List<PolicyContext>();
        var live = new List<(int Problem, int Index, Attempt A)>();
        var output = Array.Empty<ProposedStep>();
        for (int round = 0; round < maxDepth; round++)
        {
            contexts.Clear();
            live.Clear();
            foreach (var t in attempts)
            {
                if (!t.A.Running) continue;
                ulong key = StableHash.Combine(StableHash.Combine(seed, (ulong)t.Problem), (ulong)t.Index);
                contexts.Add(new PolicyContext(env, problems[t.Problem], t.A.Stack[^1].State, t.A.Lines, key));
                live.Add(t);
            }
            if (live.Count == 0) break;
            if (output.Length < live.Count) output = new ProposedStep[live.Count];
            policy.Propose(contexts, 1, output, StableHash.Combine(seed ^ 0x9F0F11EUL, (ulong)round));
            for (int i = 0; i < live.Count; i++)
            {
                var (p, _, a) = live[i];
                var problem = problems[p];
                string line = output[i].Text ?? "";
                a.Lines.Add(line);
                a.Tokens += output[i].Tokens;
                int mistake = -1;
                switch (StepProtocol.Classify(line))
                {
                    case StepKind.Thought:
                        break;
                    case StepKind.Correction:
                        if (a.Stack.Count > 1) a.Stack.RemoveAt(a.Stack.Count - 1);
                        break;
                    case StepKind.Answer:
                    {
                        a.Answer = StepProtocol.AnswerOf(line);
                        var v = EnvironmentGuard.CheckAnswer(env, problem, a.Answer);
                        a.Running = false;
                        a.Correct = v.Correct;
                        if (!v.Correct) mistake = v.Kind == VerdictKind.Malformed ? Format : WrongAnswer;
                        break;
                    }
                    default:
                    {
                        var (state, solvable) = a.Stack[^1];
                        var v = EnvironmentGuard.CheckStep(env, problem, state, line);
                        if (!v.Valid) mistake = v.Kind == VerdictKind.Malformed ? Format : Slip;
                        else
                        {
                            bool still = v.SolvableFromHere != Solvability.No;
                            if (solvable && !still) mistake = DeadEnd;
                            a.Stack.Add((v.State, solvable && still));
                        }
                        break;
                    }
                }
                if (a.Running && round == maxDepth - 1)
                {
                    a.Running = false;
                    if (mistake < 0 && !a.Erred) mistake = NoAnswer;
                }
                if (mistake < 0) continue;
                mistakes.All[mistake]++;
                if (!a.Erred) { a.Erred = true; mistakes.First[mistake]++; }
            }
        }
        if (each is null) return;
        foreach (var (p, i, a) in attempts) each(new SampledEpisode(p, i, a.Lines.Count, a.Tokens, a.Answer, a.Correct));
    }

    // Indexes into MistakeKinds.
    private const int Slip = 0, DeadEnd = 1, Format = 2, WrongAnswer = 3, NoAnswer = 4;
}
