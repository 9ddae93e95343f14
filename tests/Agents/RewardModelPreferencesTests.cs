using NUnit.Framework;
using Sim.Agents.Policies;
using Sim.Agents.Scoring;
using Sim.Agents.Tokenization;
using Sim.Agents.Transformer;
using Sim.Engine;
using Sim.Environments;
using Sim.Environments.Countdown;
using Sim.Environments.Judge;
using Sim.Systems.Search;
using TorchSharp;

namespace Sim.Tests.Agents;

public class RewardModelPreferencesTests
{
    private static readonly string[] Words = ["red", "blue", "green", "good", "bad"];

    // An easy constructed task: a line of five words; its gold reward is the number of "good" minus the number of "bad".
    private static (TextTrajectory Text, int Gold) Item(ref Rng rng)
    {
        var words = new string[5];
        for (int i = 0; i < words.Length; i++) words[i] = Words[rng.NextInt(Words.Length)];
        return (new TextTrajectory("Rate:\n", [string.Join(" ", words)]), words.Count(w => w == "good") - words.Count(w => w == "bad"));
    }

    private static List<PreferencePair> Pairs(ulong seed, int n)
    {
        var rng = new Rng(seed);
        var pairs = new List<PreferencePair>();
        while (pairs.Count < n)
        {
            var (a, ga) = Item(ref rng);
            var (b, gb) = Item(ref rng);
            if (ga != gb) pairs.Add(ga > gb ? new PreferencePair(a, b, true) : new PreferencePair(b, a, true));
        }
        return pairs;
    }

    private static RewardModel Tiny(ScorerKind kind) =>
        RewardModel.Create(kind, new TransformerConfig(SimTokenizer.CreateDefault().VocabSize, Layers: 1, Width: 32, Heads: 2, Context: 48), SimTokenizer.CreateDefault(), 5, torch.CPU);

    [Test]
    public void BradleyTerryRanksAnEasyConstructedCaseAndReloadsAsAScorer()
    {
        using var rm = Tiny(ScorerKind.Preference);
        var losses = rm.TrainPreferences(Pairs(1, 400), new RewardModelConfig(Steps: 50, BatchSize: 16, LearningRate: 5e-3));
        Assert.That(losses.Skip(40).Average(), Is.LessThan(losses.Take(10).Average()), "loss falls");
        var test = Pairs(2, 200);
        var rc = rm.Rewards(test.Select(p => p.Chosen).ToArray());
        var rr = rm.Rewards(test.Select(p => p.Rejected).ToArray());
        double agreement = PreferenceData.Agreement(rc.Select((c, i) => ((double)c, (double)rr[i])));
        Assert.That(agreement, Is.GreaterThan(0.8), "held-out pairs ranked as the gold reward ranks them");

        string dir = Path.Combine(Path.GetTempPath(), $"sim-bt-{Guid.NewGuid():N}");
        try
        {
            rm.Save(dir);
            using var back = RewardModel.Load(dir, torch.CPU);
            Assert.That(back.Kind, Is.EqualTo(ScorerKind.Preference));
            Assert.That(back.Name, Is.EqualTo("bt"));
            Assert.That(back.Rewards(test.Select(p => p.Chosen).ToArray()), Is.EqualTo(rc));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Test]
    public void DiscriminatorRewardSeparatesTheDemonstratorsWayFromTheOther()
    {
        // Demonstrations always end "Answer: good"; the policy's samples end "good" (right) or "bad" (wrong) half the time.
        var rng = new Rng(3);
        TextTrajectory Sample(bool right) => new($"Q {rng.NextInt(100)}\n", [Words[rng.NextInt(3)], "Answer: " + (right ? "good" : "bad")]);
        var demos = Enumerable.Range(0, 200).Select(_ => Sample(true)).ToList();
        var samples = Enumerable.Range(0, 200).Select(i => Sample(i % 2 == 0)).ToList();
        using var rm = Tiny(ScorerKind.Discriminator);
        rm.TrainDiscriminator(demos, samples, new RewardModelConfig(Steps: 40, BatchSize: 16, LearningRate: 5e-3));
        var right = rm.Rewards(Enumerable.Range(0, 50).Select(_ => Sample(true)).ToArray());
        var wrong = rm.Rewards(Enumerable.Range(0, 50).Select(_ => Sample(false)).ToArray());
        var auc = CalibrationReport.Compute(right.Concat(wrong).Select(x => (double)x).ToArray(), right.Select(_ => true).Concat(wrong.Select(_ => false)).ToArray()).Auc;
        Assert.That(auc, Is.GreaterThan(0.9));
    }

    [Test]
    public void PreferenceKindsTrainOnlyTheirWay()
    {
        using var bt = Tiny(ScorerKind.Preference);
        Assert.Throws<InvalidOperationException>(() => bt.Train([], new RewardModelConfig(Steps: 1)));
        Assert.Throws<InvalidOperationException>(() => bt.TrainDiscriminator([], [], new RewardModelConfig(Steps: 1)));
        Assert.Throws<ArgumentException>(() => bt.TrainPreferences([], new RewardModelConfig(Steps: 1)));
        using var orm = Tiny(ScorerKind.Outcome);
        Assert.Throws<InvalidOperationException>(() => orm.TrainPreferences(Pairs(1, 2), new RewardModelConfig(Steps: 1)));
    }

    [Test]
    public void ScoresNodesThroughTheSearchsInterfaceAfterLoading()
    {
        var env = new CountdownEnvironment();
        var problem = env.Sample(1, 1);
        var lines = env.Solve(problem)!.Steps.Append(StepProtocol.AnswerPrefix + env.Solve(problem)!.Answer).ToArray();
        using var rm = Tiny(ScorerKind.Discriminator);
        string dir = Path.Combine(Path.GetTempPath(), $"sim-irl-{Guid.NewGuid():N}");
        try
        {
            rm.Save(dir);
            var scorer = ScorerSpec.Parse(dir, 1);
            Assert.That(scorer.Name, Is.EqualTo("irl"));
            var scores = new double[1];
            scorer.Score([new ScoreRequest(env, problem, lines, true, 1, 0)], scores);
            Assert.That(scores[0], Is.InRange(0.0, 1.0));
            // σ(reward) of the same text: the learned reward, in the scorer's [0, 1].
            double r = rm.Rewards([TextTrajectory.Of(env, problem, lines)])[0];
            Assert.That(scores[0], Is.EqualTo(1 / (1 + Math.Exp(-r))).Within(1e-5));
            ((IDisposable)scorer).Dispose();
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Test]
    public void JudgePairsFollowTheJudgeAndMarkGold()
    {
        var judge = new JudgeEnvironment();
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(AttemptSkill: 0.3, Verbosity: 0.3));
        var problems = Enumerable.Range(0, 30).Select(i => judge.Sample((ulong)i, 1)).ToArray();
        var samples = new PolicySampler(policy).Generate(judge, problems, 4, 9);
        var pairs = PreferenceData.FromJudge(judge, samples, 9);
        Assert.That(pairs, Is.Not.Empty);
        Assert.That(pairs.Count(p => p.GoldPrefersChosen == true), Is.GreaterThan(pairs.Count(p => p.GoldPrefersChosen == false)), "the judge mostly agrees with gold");
        Assert.That(pairs.Any(p => p.GoldPrefersChosen == false), "and sometimes not: noise, length and position");
        Assert.That(PreferenceData.FromJudge(judge, samples, 9).Select(p => p.Chosen.Lines.Count), Is.EqualTo(pairs.Select(p => p.Chosen.Lines.Count)), "deterministic");
        var exact = PreferenceData.FromOutcomes(new PolicySampler(policy).Generate(new CountdownEnvironment(), Enumerable.Range(0, 30).Select(i => new CountdownEnvironment().Sample((ulong)i, 1)).ToArray(), 4, 9));
        Assert.That(exact, Is.Not.Empty);
        Assert.That(exact.All(p => p.GoldPrefersChosen == true));
    }

    [Test]
    public void AgreementCountsTiesHalfAndSkipsNaN()
    {
        Assert.That(PreferenceData.Agreement([(1.0, 0.0), (0.0, 1.0), (2.0, 2.0), (double.NaN, 1.0)]), Is.EqualTo(0.5));
        Assert.That(double.IsNaN(PreferenceData.Agreement([])));
        var p = TextTrajectory.Parse("Q\n", "a\nb\n");
        Assert.That(p.Lines, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(TextTrajectory.Parse("Q\n", "").Lines, Is.Empty);
    }
}
