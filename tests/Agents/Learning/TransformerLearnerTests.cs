using Sim.Agents.Learning;
using Sim.Agents.Learning.Learners;
using Sim.Agents.Tokenization;
using Sim.Agents.Transformer;
using Sim.Environments.Countdown;

namespace Sim.Tests.Agents.Learning;

public class TransformerLearnerTests
{
    private static TransformerLearner Tiny(ulong seed = 1)
    {
        var tok = SimTokenizer.CreateDefault();
        return new TransformerLearner(TransformerLm.Create(new TransformerConfig(tok.VocabSize, Layers: 1, Width: 32, Heads: 2, Context: 160), tok, seed), maxStepTokens: 12);
    }

    private static List<Trajectory> Roll(TransformerLearner learner)
    {
        var env = new CountdownEnvironment();
        var tasks = Enumerable.Range(0, 4).Select(i => new Rollouts.Task(env.Sample((ulong)i, 1), i)).ToArray();
        return new Rollouts(maxLines: 4).Run(learner, env, tasks, 3, greedy: false, seed: 9, firstId: 0);
    }

    [Test]
    public void ScoredLogProbsMatchTheBehaviourLogProbsOfFreshSamples()
    {
        using var learner = Tiny();
        var t = Roll(learner);
        var steps = t.SelectMany(x => x.Steps).Where(s => s.Units.Length > 0).ToArray();
        Assert.That(steps.Length, Is.GreaterThan(12), "episodes have several lines, so packing is exercised");
        var scored = learner.LogProbs(steps);
        for (int i = 0; i < steps.Length; i++)
            for (int u = 0; u < steps[i].Units.Length; u++)
                Assert.That(scored[i][u], Is.EqualTo(steps[i].BehaviourLogProbs[u]).Within(2e-3), $"step {i} unit {u}");
    }

    [Test]
    public void ALikelihoodUpdateRaisesTheStepsLogProbAndChangesTheWeightsHash()
    {
        using var learner = Tiny();
        var steps = Roll(learner).SelectMany(x => x.Steps).Where(s => s.Units.Length > 0).Take(6).ToArray();
        string before = learner.WeightsHash();
        double lp0 = learner.LogProbs(steps).Sum(s => s.Sum(x => (double)x));
        for (int k = 0; k < 3; k++)
            learner.Update(steps, (cur, _) => Objectives.ScoreFunction(cur, cur.Select(s => s.Select(_ => 1f).ToArray()).ToArray()), 3e-3);
        double lp1 = learner.LogProbs(steps).Sum(s => s.Sum(x => (double)x));
        Assert.That(lp1, Is.GreaterThan(lp0));
        Assert.That(learner.WeightsHash(), Is.Not.EqualTo(before));
        Assert.That(learner.Version, Is.EqualTo(3));
    }

    [Test]
    public void FrozenCopyKeepsTheOldPolicyAndSaveLoadRoundTrips()
    {
        using var learner = Tiny();
        var steps = Roll(learner).SelectMany(x => x.Steps).Where(s => s.Units.Length > 0).Take(4).ToArray();
        using var frozen = learner.Freeze();
        var refLp = frozen.LogProbs(steps);
        learner.Update(steps, (cur, _) => Objectives.ScoreFunction(cur, cur.Select(s => s.Select(_ => 1f).ToArray()).ToArray()), 1e-2);
        Assert.That(frozen.LogProbs(steps)[0], Is.EqualTo(refLp[0]));
        string dir = Path.Combine(Path.GetTempPath(), "sim-tl-" + Guid.NewGuid().ToString("N"));
        try
        {
            learner.Save(dir);
            using var copy = Tiny(seed: 2);
            copy.Load(dir);
            Assert.That(copy.WeightsHash(), Is.EqualTo(learner.WeightsHash()));
            Assert.That(copy.Version, Is.EqualTo(1));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
