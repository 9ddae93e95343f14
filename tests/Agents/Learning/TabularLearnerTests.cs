using Sim.Agents.Learning;
using Sim.Agents.Learning.Algorithms;
using Sim.Agents.Learning.Learners;
using Sim.Environments.Countdown;

namespace Sim.Tests.Agents.Learning;

public class TabularLearnerTests
{
    private static List<Trajectory> Roll(TabularLearner learner, int problems = 8, int samples = 4)
    {
        var env = new CountdownEnvironment();
        var tasks = Enumerable.Range(0, problems).Select(i => new Rollouts.Task(env.Sample((ulong)i + 10, 1), i)).ToArray();
        return new Rollouts().Run(learner, env, tasks, samples, greedy: false, seed: 5, firstId: 0);
    }

    [Test]
    public void RolloutsRecordTheVerdictsAndTheBehaviourLogProbs()
    {
        using var learner = new TabularLearner();
        var t = Roll(learner);
        Assert.That(t, Has.Count.EqualTo(32));
        Assert.That(t.Select(x => x.Id), Is.EqualTo(Enumerable.Range(0, 32).Select(i => (long)i)));
        Assert.That(t.All(x => x.Steps.Count > 0 && x.Steps.Count == x.ProcessRewards.Count));
        // A uniform policy over the candidates: the behaviour log-probability is −log(#candidates).
        var first = t[0].Steps[0];
        var ctx = (TabularContext)first.Context;
        Assert.That(first.BehaviourLogProbs[0], Is.EqualTo(-Math.Log(ctx.Candidates.Count)).Within(1e-5));
        Assert.That(t.Any(x => x.Correct) && t.Any(x => !x.Correct));
        // Same seed, same episodes.
        using var again = new TabularLearner();
        Assert.That(Roll(again).Select(x => string.Join("|", x.Steps.Select(s => s.Text))), Is.EqualTo(t.Select(x => string.Join("|", x.Steps.Select(s => s.Text)))));
    }

    [Test]
    public void UpdateFollowsTheExactGradient()
    {
        // One plain likelihood step on a chosen step raises its probability; the change matches Adam's first step
        // (each touched slot moves by the learning rate in the sign of its gradient).
        using var learner = new TabularLearner();
        var steps = Roll(learner).SelectMany(x => x.Steps).Take(1).ToArray();
        double before = learner.LogProbs(steps)[0][0];
        learner.Update(steps, (cur, _) => Objectives.ScoreFunction(cur, [[1f]]), 0.1);
        double after = learner.LogProbs(steps)[0][0];
        int n = ((TabularContext)steps[0].Context).Candidates.Count;
        // Chosen logit +0.1, the others −0.1: log π rises by 0.1 − log(e^0.1/n + (n−1)e^−0.1/n).
        double expected = before + 0.1 - Math.Log(Math.Exp(0.1) / n + (n - 1) * Math.Exp(-0.1) / n);
        Assert.That(after, Is.EqualTo(expected).Within(1e-4));
        Assert.That(learner.Version, Is.EqualTo(1));
    }

    [Test]
    public void SaveLoadRoundTripsAndRefusesOtherCheckpoints()
    {
        using var learner = new TabularLearner();
        var steps = Roll(learner).SelectMany(x => x.Steps).ToArray();
        learner.Update(steps, (cur, _) => Objectives.ScoreFunction(cur, cur.Select(r => r.Select(_ => 0.1f).ToArray()).ToArray()), 0.1);
        string dir = Path.Combine(Path.GetTempPath(), "sim-tabular-" + Guid.NewGuid().ToString("N"));
        try
        {
            learner.Save(dir);
            using var copy = new TabularLearner();
            copy.Load(dir);
            Assert.That(copy.WeightsHash(), Is.EqualTo(learner.WeightsHash()));
            Assert.That(copy.Version, Is.EqualTo(1));
            using var other = new TabularLearner(tableBits: 12);
            Assert.Throws<InvalidDataException>(() => other.Load(dir));
            Assert.Throws<InvalidDataException>(() => copy.Load(Path.GetTempPath()));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Test]
    public void PreferencePairsComeFromSiblingsInTheTree()
    {
        using var learner = new TabularLearner();
        var t = Roll(learner, problems: 8, samples: 8);
        var pairs = PreferencePairs.FromTrees(t);
        Assert.That(pairs, Is.Not.Empty);
        foreach (var p in pairs)
        {
            Assert.That(p.Chosen.Context, Is.SameAs(p.Chosen.Context));
            Assert.That(((TabularContext)p.Chosen.Context).Slots, Is.EqualTo(((TabularContext)p.Rejected.Context).Slots), "siblings share their parent state");
            Assert.That(p.Chosen.Solvable, Is.EqualTo(Sim.Environments.Solvability.Yes));
            Assert.That(p.Rejected.Verdict != Sim.Environments.VerdictKind.Ok || p.Rejected.Solvable == Sim.Environments.Solvability.No);
        }
    }
}
