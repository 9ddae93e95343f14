using Sim.Agents.Demonstrators;
using Sim.Agents.Policies;
using Sim.Agents.Tokenization;

namespace Sim.Agents.Transformer;

/// <summary>
/// Self-evaluation for a <see cref="TransformerLm"/> policy, from its own log-probabilities.
/// <para><b>Yes/no</b> (<paramref name="lineProbability"/> false, the default): the trace with the judged line is
/// followed by the verification question <see cref="Question"/>, and the model scores the two continuations
/// <c>yes</c> and <c>no</c> (teacher-forced, one batched forward pass for all requests); the judgement is
/// P(yes) / (P(yes) + P(no)). This is only as good as the model's training on such questions: an untrained or
/// SFT-only model has no reason to answer them well, and its judgement is then close to ½ (no information).</para>
/// <para><b>Fallback</b> (<paramref name="lineProbability"/> true): the geometric mean of the judged line's own token
/// probabilities given the trace before it (the confidence a proposal reports), which needs no verification training.</para>
/// <para>Traces longer than the model's context keep their last tokens. Cost: one policy call and the question's
/// tokens plus one (the verdict) per judgement, or the line's tokens for the fallback.</para>
/// </summary>
/// <param name="lm">The policy's model.</param>
/// <param name="lineProbability">Use the fallback (the line's own probability) instead of the yes/no question.</param>
public sealed class TransformerSelfEvaluator(TransformerLm lm, bool lineProbability = false) : ISelfEvaluator
{
    /// <summary>The verification question written after the judged line.</summary>
    public const string Question = "# Is the last step correct? ";

    /// <summary>The model.</summary>
    public TransformerLm Lm { get; } = lm;

    /// <summary>True when judging by the line's own probability (the fallback).</summary>
    public bool LineProbability { get; } = lineProbability;

    /// <inheritdoc />
    public string Name => LineProbability ? "transformer-line-probability" : "transformer-yes-no";

    /// <inheritdoc />
    public void Evaluate(IReadOnlyList<SelfEvalRequest> requests, Span<SelfEvaluation> output, ulong seed)
    {
        if (output.Length < requests.Count) throw new ArgumentException($"output needs {requests.Count} slots");
        if (requests.Count == 0) return;
        var tok = Lm.Tokenizer;
        int context = Lm.Config.Context;
        var sequences = new List<int[]>();
        var prompts = new List<int>();
        if (LineProbability)
        {
            foreach (var r in requests)
            {
                var before = Lm.EncodeContext(DemoPrompt.For(r.Context.Env, r.Context.Problem), r.Context.Lines);
                var line = tok.Encode(r.Line + SimTokenizer.StepDelimiter);
                Add(before, line, context, sequences, prompts);
            }
            var lps = Lm.TokenLogProbs(sequences, prompts);
            for (int i = 0; i < requests.Count; i++)
            {
                double mean = lps[i].Length == 0 ? 0 : lps[i].Average(x => (double)x);
                output[i] = new SelfEvaluation(Math.Exp(mean), lps[i].Length);
            }
            return;
        }
        var question = tok.Encode(Question);
        var yes = tok.Encode("yes");
        var no = tok.Encode("no");
        foreach (var r in requests)
        {
            var lines = r.Context.Lines.Append(r.Line).ToArray();
            var trace = Lm.EncodeContext(DemoPrompt.For(r.Context.Env, r.Context.Problem), lines).Concat(question).ToArray();
            Add(trace, yes, context, sequences, prompts);
            Add(trace, no, context, sequences, prompts);
        }
        var scores = Lm.TokenLogProbs(sequences, prompts);
        for (int i = 0; i < requests.Count; i++)
        {
            double ly = scores[2 * i].Sum(x => (double)x), ln = scores[2 * i + 1].Sum(x => (double)x);
            double pYes = 1 / (1 + Math.Exp(ln - ly));
            output[i] = new SelfEvaluation(pYes, question.Length + 1);
        }
    }

    // prompt + continuation, keeping the last `context` tokens (the continuation always fits: it is a few tokens).
    private static void Add(int[] prompt, int[] continuation, int context, List<int[]> sequences, List<int> prompts)
    {
        int keep = Math.Min(prompt.Length, Math.Max(1, context - continuation.Length));
        var seq = new int[keep + continuation.Length];
        Array.Copy(prompt, prompt.Length - keep, seq, 0, keep);
        Array.Copy(continuation, 0, seq, keep, continuation.Length);
        sequences.Add(seq);
        prompts.Add(keep);
    }
}
