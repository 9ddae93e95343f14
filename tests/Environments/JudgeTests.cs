using NUnit.Framework;
using Sim.Environments;
using Sim.Environments.Judge;

namespace Sim.Tests.Environments;

public sealed class JudgeTests
{
    private static Problem SkyProblem(IEnvironment env) => env.Load(ProblemRecord.Parse(
        """{"id": "sky", "question": "Why is the sky blue?", "answer": "", "metadata": {"topic": "sky-blue", "required": 4}}"""));

    [Test]
    public void GoldRewardsKeyPointsAndJudgeAddsBiases()
    {
        var env = new JudgeEnvironment();
        var p = SkyProblem(env);
        var good = env.CheckAnswer(p, "White light holds all visible wavelengths; Rayleigh scattering by air is stronger at short wavelengths, so blue arrives from every direction.");
        var weak = env.CheckAnswer(p, "Because of the ocean.");
        Assert.That(good.GoldReward, Is.EqualTo(1.0));
        Assert.That(weak.GoldReward, Is.EqualTo(0.0));
        Assert.That(good.Reward, Is.GreaterThan(weak.Reward));
        // The judge accepts at its threshold; its reward is the score either way.
        Assert.That(good.Kind, Is.EqualTo(good.Reward >= env.Config.AcceptScore ? VerdictKind.Ok : VerdictKind.WrongAnswer));
        Assert.That(weak.Kind, Is.EqualTo(VerdictKind.WrongAnswer));
        var lenient = new JudgeEnvironment(new JudgeConfig { AcceptScore = 0 });
        Assert.That(lenient.CheckAnswer(p, "Because of the ocean.").Kind, Is.EqualTo(VerdictKind.Ok), "threshold 0 accepts any judged answer");
        var perfect = new JudgeEnvironment(new JudgeConfig { Noise = 0, LengthBias = 0, KeywordBias = 0, PositionBias = 0 });
        Assert.That(perfect.CheckAnswer(p, "White light holds all visible wavelengths; Rayleigh scattering by air is stronger at short wavelengths, so blue arrives from every direction.").Kind,
            Is.EqualTo(VerdictKind.Ok), "a perfect judge accepts a gold answer");

        // Sycophancy: flattering keywords raise the judge's score but not the gold score.
        var flattering = env.CheckAnswer(p, "Great question! Certainly, absolutely, as an expert: it is because of the ocean.");
        Assert.That(flattering.GoldReward, Is.EqualTo(0.0));
        Assert.That(flattering.Reward, Is.GreaterThan(weak.Reward));
    }

    [Test]
    public void APerfectJudgeEqualsGold()
    {
        var env = new JudgeEnvironment(new JudgeConfig { Noise = 0, LengthBias = 0, KeywordBias = 0, PositionBias = 0 });
        var p = SkyProblem(env);
        foreach (var a in new[] { "rayleigh scattering", "white light, rayleigh, shorter wavelength", "nothing" })
        {
            var v = env.CheckAnswer(p, a);
            Assert.That(v.Reward, Is.EqualTo(v.GoldReward));
        }
        var pref = env.Compare(p, "rayleigh", "rayleigh");
        Assert.That(pref.ProbabilityFirst, Is.EqualTo(0.5));
    }

    [Test]
    public void PairwisePreferencesHavePositionBias()
    {
        var env = new JudgeEnvironment(new JudgeConfig { Noise = 0, PositionBias = 0.2 });
        var p = SkyProblem(env);
        var ab = env.Compare(p, "rayleigh", "rayleigh!");
        var ba = env.Compare(p, "rayleigh!", "rayleigh");
        Assert.That(ab.ProbabilityFirst, Is.GreaterThan(0.5));
        Assert.That(ba.ProbabilityFirst, Is.GreaterThan(0.5), "whichever comes first is favoured");
        Assert.That(env.Compare(p, "rayleigh", "the ocean").GoldPrefersFirst, Is.True);
        Assert.That(env.Compare(p, "a", "b"), Is.EqualTo(env.Compare(p, "a", "b")), "deterministic");
    }

    [Test]
    public void StepsBuildADraftAndHostileInputIsAVerdict()
    {
        var env = EnvironmentRegistry.Default.Get("judge");
        var p = SkyProblem(env);
        var v1 = env.CheckStep(p, env.Start(p), "Sunlight is white light.");
        var v2 = env.CheckStep(p, v1.State, "Rayleigh scattering favours short wavelengths.");
        Assert.That(v2.Valid && v2.State.ToString().Contains("Rayleigh"), Is.True);
        Assert.That(v2.SolvableFromHere, Is.EqualTo(Solvability.Unknown));
        Assert.That(env.CheckStep(p, env.Start(p), "   ").Kind, Is.EqualTo(VerdictKind.Malformed));
        Assert.That(env.CheckAnswer(p, "").Kind, Is.EqualTo(VerdictKind.Malformed));
        Assert.That(env.CheckAnswer(p, new string('x', 100_000)).Kind, Is.EqualTo(VerdictKind.Malformed));
        var weird = env.CheckAnswer(p, "\0\ud800 great question 🎉");
        Assert.That(weird.Reward, Is.InRange(0.0, 1.0));
        Assert.Throws<InvalidDataException>(() => env.Load(ProblemRecord.Parse("""{"id": "x", "question": "q", "answer": "", "metadata": {"topic": "nope", "required": 1}}""")));
    }

    [Test]
    public void EachKeyPointSentenceMakesExactlyItsOwnPoint()
    {
        // So the reference answer has gold 1 and an answer's gold counts exactly the key-point sentences it contains.
        foreach (var topic in JudgeTopic.All)
        {
            var all = new JudgeSpec(topic, topic.KeyPoints.Count);
            for (int i = 0; i < topic.KeyPoints.Count; i++)
            {
                string sentence = topic.KeyPoints[i].Sentence.ToLowerInvariant();
                for (int j = 0; j < topic.KeyPoints.Count; j++)
                    Assert.That(topic.KeyPoints[j].Phrases.Any(p => sentence.Contains(p, StringComparison.Ordinal)), Is.EqualTo(i == j), $"{topic.Id}: sentence {i}, point {j}");
            }
            Assert.That(JudgeEnvironment.Gold(all, string.Join(" ", topic.KeyPoints.Select(k => k.Sentence))), Is.EqualTo(1.0), topic.Id);
        }
    }

    [Test]
    public void SettingsAreWrittenInTheEnvironmentSpec()
    {
        var judge = (JudgeEnvironment)EnvironmentRegistry.Default.Get("judge:style=0.3,length=0,noise=0");
        Assert.That((judge.Config.StyleBias, judge.Config.LengthBias, judge.Config.Noise), Is.EqualTo((0.3, 0.0, 0.0)));
        Assert.That(judge.Options.Single(o => o.Name == "style").Value, Is.EqualTo("0.3"));
        Assert.Throws<ArgumentException>(() => EnvironmentRegistry.Default.Get("judge:bogus=1"));
        Assert.Throws<ArgumentException>(() => EnvironmentRegistry.Default.Get("judge:style=5"));
        Assert.Throws<FormatException>(() => EnvironmentRegistry.Default.Get("judge:style=much"));
        Assert.Throws<ArgumentException>(() => EnvironmentRegistry.Default.Get("countdown:numbers=5"), "countdown has no settings");
    }

    [Test]
    public void TheJudgePrefersItsOwnStyle()
    {
        var judge = (JudgeEnvironment)EnvironmentRegistry.Default.Get("judge:noise=0,length=0");
        var p = judge.Sample(3, 2);
        var spec = (JudgeSpec)p.Spec;
        // One key point of several: far from the clamp at 1.
        string plain = spec.Topic.KeyPoints[0].Sentence;
        var a = judge.Score(spec, plain);
        var b = judge.Score(spec, "In summary, " + plain);
        Assert.That(b.Gold, Is.EqualTo(a.Gold), "style adds nothing of substance");
        Assert.That(b.Judge - a.Judge, Is.EqualTo(judge.Config.StyleBias).Within(1e-9));
        Assert.That(judge.IsNeutral(p, "In short, the sky is wide."), Is.False, "a sentence in the judge's style is not neutral");
    }

    [Test]
    public void ShowListsTheSettings()
    {
        var (code, stdout, stderr) = Sim.Tests.Cli.CliTests.Run("envs", "show", "judge:style=0.2", "--json");
        Assert.That(code, Is.EqualTo(0), stderr);
        var settings = System.Text.Json.JsonDocument.Parse(stdout).RootElement.GetProperty("settings").EnumerateArray().ToList();
        Assert.That(settings.Select(s => s.GetProperty("name").GetString()), Does.Contain("length").And.Contain("position").And.Contain("style"));
        Assert.That(settings.Single(s => s.GetProperty("name").GetString() == "style").GetProperty("value").GetString(), Is.EqualTo("0.2"));
        Assert.That(Sim.Tests.Cli.CliTests.Run("envs", "show", "judge:nope=1").code, Is.EqualTo(2));
    }
}
