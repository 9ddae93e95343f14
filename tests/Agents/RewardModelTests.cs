using NUnit.Framework;
using Sim.Agents.Policies;
using Sim.Agents.Scoring;
using Sim.Agents.Tokenization;
using Sim.Agents.Transformer;
using Sim.Environments;
using Sim.Environments.Countdown;
using TorchSharp;

namespace Sim.Tests.Agents;

public class RewardModelTests
{
    private static readonly IEnvironment Env = new CountdownEnvironment();

    [Test]
    public void CalibrationReportMatchesHandComputedValues()
    {
        // Perfect ranking: AUC 1. Predictions 0.9 for positives and 0.1 for negatives: ECE 0.1.
        var r = CalibrationReport.Compute([0.9, 0.9, 0.1, 0.1], [true, true, false, false]);
        Assert.That(r.Auc, Is.EqualTo(1.0));
        Assert.That(r.Ece, Is.EqualTo(0.1).Within(1e-12));
        Assert.That(r.Accuracy, Is.EqualTo(1.0));
        // All tied: AUC 0.5.
        Assert.That(CalibrationReport.Compute([0.5, 0.5, 0.5], [true, false, true]).Auc, Is.EqualTo(0.5));
        Assert.That(double.IsNaN(CalibrationReport.Compute([0.2], [true]).Auc));
    }

    [Test]
    public void GeneratedTrajectoriesCarryExactStepValues()
    {
        var gen = new TrajectoryGenerator(new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.2)));
        var problems = Enumerable.Range(0, 30).Select(i => Env.Sample((ulong)i, 1)).ToArray();
        var data = gen.Generate(Env, problems, 3, 5);
        Assert.That(data, Has.Count.EqualTo(90));
        Assert.That(data.Count(d => d.Outcome == 1), Is.InRange(5, 85), "a mix of outcomes");
        foreach (var d in data)
        {
            Assert.That(d.StepValues, Has.Length.EqualTo(d.Lines.Count));
            var state = Env.Start(d.Problem);
            for (int j = 0; j < d.Lines.Count; j++)
            {
                if (StepProtocol.Classify(d.Lines[j]) != StepKind.Step) continue;
                var v = Env.CheckStep(d.Problem, state, d.Lines[j]);
                Assert.That(d.StepValues[j], Is.EqualTo(v.Valid && v.SolvableFromHere == Solvability.Yes ? 1f : 0f));
                if (v.Valid) state = v.State;
            }
        }
        Assert.That(gen.Generate(Env, problems, 3, 5).Select(d => string.Join("|", d.Lines)), Is.EqualTo(data.Select(d => string.Join("|", d.Lines))));
    }

    [TestCase(ScorerKind.Outcome)]
    [TestCase(ScorerKind.Process)]
    [TestCase(ScorerKind.Value)]
    public void TrainsScoresAndReloads(ScorerKind kind)
    {
        var tok = SimTokenizer.CreateDefault();
        var gen = new TrajectoryGenerator(new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.2)));
        var data = gen.Generate(Env, Enumerable.Range(0, 24).Select(i => Env.Sample((ulong)i, 1)).ToArray(), 2, 1);
        using var rm = RewardModel.Create(kind, new TransformerConfig(tok.VocabSize, Layers: 1, Width: 32, Heads: 2, Context: 96), tok, 3, torch.CPU);
        var losses = rm.Train(data, new RewardModelConfig(Steps: 40, BatchSize: 16, LearningRate: 5e-3));
        Assert.That(losses.Skip(30).Average(), Is.LessThan(losses.Take(5).Average()), "loss falls");
        var scores = new TrajectoryScore[data.Count];
        rm.ScoreTrajectories(data.Select(d => new ScoringInput(d.Env, d.Problem, d.Lines)).ToArray(), scores);
        Assert.That(scores.All(s => s.StepScores.All(x => x is >= 0 and <= 1)));
        string dir = Path.Combine(Path.GetTempPath(), $"sim-rm-{Guid.NewGuid():N}");
        try
        {
            rm.Save(dir);
            using var back = RewardModel.Load(dir, torch.CPU);
            Assert.That(back.Kind, Is.EqualTo(kind));
            var again = new TrajectoryScore[data.Count];
            back.ScoreTrajectories(data.Select(d => new ScoringInput(d.Env, d.Problem, d.Lines)).ToArray(), again);
            for (int i = 0; i < data.Count; i++) Assert.That(again[i].StepScores, Is.EqualTo(scores[i].StepScores));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
