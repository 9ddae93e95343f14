using NUnit.Framework;
using Sim.Agents.Policies;
using Sim.Agents.Tokenization;
using Sim.Agents.Transformer;
using Sim.Environments.Countdown;
using TorchSharp;

namespace Sim.Tests.Agents;

public class TransformerSelfEvaluatorTests
{
    [Test]
    public void JudgesEveryLineFromItsOwnLogProbs()
    {
        var env = new CountdownEnvironment();
        var tok = SimTokenizer.CreateDefault();
        using var lm = TransformerLm.Create(new TransformerConfig(tok.VocabSize, Layers: 1, Width: 32, Heads: 2, Context: 48), tok, 5, torch.CPU);
        var problems = Enumerable.Range(0, 3).Select(i => env.Sample((ulong)i, 1)).ToArray();
        // The last request's trace is longer than the context: it keeps its last tokens.
        var requests = problems.Select((p, i) => new SelfEvalRequest(
            new PolicyContext(env, p, env.Start(p), i == 2 ? Enumerable.Repeat("# think it over once more", 6).ToArray() : [], (ulong)i),
            env.Solve(p)!.Steps[0], StepKind.Step)).ToList();
        foreach (bool line in new[] { false, true })
        {
            var judge = new TransformerSelfEvaluator(lm, line);
            var a = new SelfEvaluation[3];
            var b = new SelfEvaluation[3];
            judge.Evaluate(requests, a, 1);
            judge.Evaluate(requests, b, 2);
            Assert.That(a, Is.EqualTo(b), "deterministic: no random draws");
            foreach (var e in a)
            {
                Assert.That(e.Correct, Is.InRange(0.0, 1.0));
                Assert.That(e.Correct, Is.Not.NaN);
                Assert.That(e.Tokens, Is.GreaterThan(0));
            }
            if (!line) Assert.That(a[0].Tokens, Is.EqualTo(tok.Encode(TransformerSelfEvaluator.Question).Length + 1));
        }
    }
}
