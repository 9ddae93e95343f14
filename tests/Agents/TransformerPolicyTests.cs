using NUnit.Framework;
using Sim.Agents.Policies;
using Sim.Agents.Tokenization;
using Sim.Agents.Transformer;
using Sim.Environments;
using Sim.Environments.Countdown;
using TorchSharp;

namespace Sim.Tests.Agents;

public class TransformerPolicyTests
{
    [Test]
    public void ProposesKLinesPerContextReproducibly()
    {
        var env = new CountdownEnvironment();
        var tok = SimTokenizer.CreateDefault();
        using var lm = TransformerLm.Create(new TransformerConfig(tok.VocabSize, Layers: 1, Width: 32, Heads: 2, Context: 96), tok, 5, torch.CPU);
        var policy = new TransformerPolicy(lm, new SamplingSettings(MaxStepTokens: 6));
        var problems = Enumerable.Range(0, 3).Select(i => env.Sample((ulong)i, 1)).ToArray();
        var contexts = problems.Select((p, i) => new PolicyContext(env, p, env.Start(p), i == 0 ? [] : ["# think"], (ulong)i)).ToArray();
        var a = new ProposedStep[6];
        var b = new ProposedStep[6];
        policy.Propose(contexts, 2, a, 11);
        policy.Propose(contexts, 2, b, 11);
        Assert.That(a, Is.EqualTo(b));
        foreach (var s in a)
        {
            Assert.That(s.Tokens, Is.InRange(1, 6));
            Assert.That(s.Kind, Is.EqualTo(StepProtocol.Classify(s.Text)));
            Assert.That(s.LogProb, Is.LessThanOrEqualTo(0));
            Assert.That(s.Confidence, Is.EqualTo(Math.Exp(s.LogProb / s.Tokens)).Within(1e-9));
        }
    }
}
