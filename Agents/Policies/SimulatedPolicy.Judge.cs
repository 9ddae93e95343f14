using System.Runtime.CompilerServices;
using System.Text;
using Sim.Agents.Tokenization;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Agents.Policies;

// Free-form answers graded by a judge: the trace fills the rubric's R key-point slots with hits or misses, padding
// sentences lengthen it, and the answer is the draft. The semantics are in the type's summary.
public sealed partial class SimulatedPolicy
{
    // On-topic sentences that make none of a rubric's key points (a miss), and filler that only lengthens the answer
    // (padding). Candidates that happen to contain a key phrase of the problem's topic, or a flattering keyword the
    // judge rewards, are dropped per problem, so a miss and a padding sentence are worth exactly nothing in gold.
    private static readonly string[] MissTemplates =
    [
        "There is another factor to consider here.",
        "This part is more subtle than it looks.",
        "Many people get this detail wrong.",
        "The details depend on the situation, but the idea itself is simple.",
    ];

    private static readonly string[] PaddingTemplates =
    [
        "To answer this well, it helps to go through the relevant ideas one at a time.",
        "It is worth keeping the bigger picture in mind while reading the points below.",
        "This is a well-known topic, and it has been discussed in many textbooks and articles over the years.",
        "In short, several separate ideas come together to give the full explanation.",
    ];

    private sealed class JudgePlan
    {
        /// <summary>R: key-point slots before the answer.</summary>
        public readonly int Slots;
        public readonly string[] Misses, Paddings;
        public readonly int[] MissTokens, PaddingTokens;

        // Token counts of known sentences without the step delimiter, and of "Answer:". The tokenizer's pre-tokens never
        // span a space, so the answer "Answer: s1 s2 …" has exactly tokens("Answer:") + Σ (1 + tokens(s_i)) tokens.
        public readonly Dictionary<string, int> SentenceTokens = new(StringComparer.Ordinal);
        public readonly int AnswerPrefixTokens;

        public JudgePlan(IRubricGraded grader, Problem problem, string rubric, string[] lines, SimTokenizer tokenizer)
        {
            Slots = lines.Length - 1;
            bool Neutral(string s) => grader.IsNeutral(problem, s);
            Misses = MissTemplates.Where(Neutral).ToArray();
            Paddings = PaddingTemplates.Where(Neutral).ToArray();
            if (Misses.Length == 0 || Paddings.Length == 0) throw new InvalidOperationException($"rubric '{rubric}' leaves no neutral sentence");
            foreach (var s in lines.Take(Slots).Concat(Misses).Concat(Paddings)) SentenceTokens.TryAdd(s, tokenizer.Encode(s).Length);
            MissTokens = Misses.Select(s => SentenceTokens[s] + 1).ToArray();
            PaddingTokens = Paddings.Select(s => SentenceTokens[s] + 1).ToArray();
            AnswerPrefixTokens = tokenizer.Encode(StepProtocol.AnswerPrefix.TrimEnd()).Length;
        }

        public bool IsPadding(string line)
        {
            foreach (var p in Paddings) if (Same(line, p)) return true;
            return false;
        }
    }

    private const byte Padding = 1, Miss = 2;

    [ThreadStatic] private static byte[]? t_flags;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProposeJudge(Plan plan, ReadOnlySpan<string> lines, int k, ProposedStep[] output, int at, ref Rng rng)
    {
        var jp = plan.Judge!;
        int filled = JudgeProgress(plan, lines, out int count, out bool freshMiss);
        string? lastStep = count > 0 ? t_stack![count - 1].Trim() : null;
        ProposedStep answer = default;
        for (int j = 0; j < k; j++)
        {
            if (j > 0 && _repeat > 0 && rng.NextDouble() < _repeat)
            {
                output[at + j] = output[at + Index(ref rng, j)];
                continue;
            }
            double c, logp;
            if (freshMiss && _reflection > 0 && rng.NextDouble() < _reflection)
            {
                Confidence(plan, ref rng, out c, out logp);
                output[at + j] = Correction(lastStep!, logp, c);
                continue;
            }
            if (_verbosity > 0 && rng.NextDouble() < _verbosity)
            {
                int t = Index(ref rng, jp.Paddings.Length);
                output[at + j] = new ProposedStep(jp.Paddings[t], StepKind.Step, 0.0, 1.0, jp.PaddingTokens[t]);
                continue;
            }
            if (filled >= jp.Slots)
            {
                if (answer.Text is null) answer = JudgeAnswer(jp, count);
                output[at + j] = answer;
                continue;
            }
            double q = Confidence(plan, ref rng, out c, out logp);
            if (rng.NextDouble() < q)
            {
                output[at + j] = new ProposedStep(plan.Lines[filled], StepKind.Step, logp, c, plan.Tokens[filled]);
            }
            else
            {
                int e = Index(ref rng, jp.Misses.Length);
                output[at + j] = new ProposedStep(jp.Misses[e], StepKind.Step, logp, c, jp.MissTokens[e]);
            }
        }
    }

    // Slots filled by the effective steps (every non-padding step fills the next slot, a hit when it is that slot's key
    // point); `count` effective steps are left in t_stack (their flags in t_flags). `freshMiss`: the trace's last line
    // is a step that missed its slot (the only moment reflection can retract it).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int JudgeProgress(Plan plan, ReadOnlySpan<string> lines, out int count, out bool freshMiss)
    {
        var jp = plan.Judge!;
        var stack = t_stack;
        if (stack is null || stack.Length < lines.Length) t_stack = stack = new string[Math.Max(16, lines.Length * 2)];
        var flags = t_flags;
        if (flags is null || flags.Length < stack.Length) t_flags = flags = new byte[stack.Length];
        int n = 0, filled = 0;
        bool lastIsStep = false;
        foreach (string line in lines)
        {
            var kind = StepProtocol.Classify(line);
            lastIsStep = kind == StepKind.Step;
            if (kind == StepKind.Step)
            {
                byte flag;
                if (jp.IsPadding(line)) flag = Padding;
                else
                {
                    flag = filled < jp.Slots && Same(line, plan.Lines[filled]) ? (byte)0 : Miss;
                    filled++;
                }
                stack[n] = line;
                flags[n++] = flag;
            }
            else if (kind == StepKind.Correction && n > 0)
            {
                if (flags[--n] != Padding) filled--;
            }
        }
        count = n;
        freshMiss = lastIsStep && n > 0 && flags[n - 1] == Miss;
        return filled;
    }

    // The answer line: the draft (effective steps, trimmed, joined by spaces) after "Answer: ".
    private ProposedStep JudgeAnswer(JudgePlan jp, int count)
    {
        var stack = t_stack!;
        var sb = new StringBuilder(StepProtocol.AnswerPrefix);
        int tokens = 1 + jp.AnswerPrefixTokens;
        for (int i = 0; i < count; i++)
        {
            string s = stack[i].Trim();
            if (i > 0) sb.Append(' ');
            sb.Append(s);
            tokens += 1 + (jp.SentenceTokens.TryGetValue(s, out int t) ? t : _tokenizer.Count(s));
        }
        string text = sb.ToString();
        if (count == 0) tokens = _tokenizer.Count(text) + 1;
        return new ProposedStep(text, StepKind.Answer, 0.0, 1.0, tokens);
    }
}
