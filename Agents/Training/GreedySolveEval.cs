using Sim.Agents.Demonstrators;
using Sim.Agents.Policies;
using Sim.Agents.Transformer;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Agents.Training;

/// <summary>
/// Measures the share of problems a <see cref="TransformerLm"/> solves greedily: it writes lines one at a time (batched
/// over all unfinished problems) until an <c>Answer:</c> line, the end token, <see cref="MaxLines"/> lines or a full
/// context; a problem is solved when the environment accepts that answer.
/// </summary>
public sealed class GreedySolveEval(int MaxLines = 64, int MaxLineTokens = 40)
{
    /// <summary>Lines written per problem at most.</summary>
    public int MaxLines { get; } = MaxLines;

    /// <summary>Tokens per line at most.</summary>
    public int MaxLineTokens { get; } = MaxLineTokens;

    /// <summary>The outcome of one problem.</summary>
    public sealed record Outcome(Problem Problem, IReadOnlyList<string> Lines, bool Solved, string Why);

    /// <summary>Runs every problem; returns one outcome each, in order.</summary>
    public Outcome[] Run(TransformerLm lm, IEnvironment env, IReadOnlyList<Problem> problems)
    {
        var lines = problems.Select(_ => new List<string>()).ToArray();
        var result = new Outcome?[problems.Count];
        var settings = new SamplingSettings(Greedy: true, MaxStepTokens: MaxLineTokens);
        var rng = new Rng(1);
        for (int round = 0; round < MaxLines; round++)
        {
            var open = Enumerable.Range(0, problems.Count).Where(i => result[i] is null).ToList();
            if (open.Count == 0) break;
            var contexts = new List<int[]>(open.Count);
            var asked = new List<int>(open.Count);
            foreach (int i in open)
            {
                var ctx = lm.EncodeContext(DemoPrompt.For(env, problems[i]), lines[i]);
                if (ctx.Length + MaxLineTokens > lm.Config.Context) { result[i] = new Outcome(problems[i], lines[i], false, "context full"); continue; }
                contexts.Add(ctx);
                asked.Add(i);
            }
            if (asked.Count == 0) break;
            // Batches of 256 keep the KV cache small.
            for (int b = 0; b < asked.Count; b += 256)
            {
                int n = Math.Min(256, asked.Count - b);
                var steps = lm.SampleSteps(contexts.GetRange(b, n), settings, ref rng);
                for (int j = 0; j < n; j++)
                {
                    int i = asked[b + j];
                    var s = steps[j];
                    if (StepProtocol.Classify(s.Text) == StepKind.Answer)
                    {
                        lines[i].Add(s.Text);
                        var v = env.CheckAnswer(problems[i], StepProtocol.AnswerOf(s.Text));
                        result[i] = new Outcome(problems[i], lines[i], v.Correct, v.Reason);
                    }
                    else if (s.Stop == StopReason.EndOfSequence) result[i] = new Outcome(problems[i], lines[i], false, "ended without an answer");
                    else lines[i].Add(s.Text);
                }
            }
        }
        for (int i = 0; i < result.Length; i++) result[i] ??= new Outcome(problems[i], lines[i], false, "no answer within the line budget");
        return result!;
    }
}
