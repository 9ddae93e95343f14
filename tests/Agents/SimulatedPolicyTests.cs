using NUnit.Framework;
using Sim.Agents.Policies;
using Sim.Environments;
using Sim.Environments.Countdown;

namespace Sim.Tests.Agents;

public class SimulatedPolicyTests
{
    private static readonly IEnvironment Env = new CountdownEnvironment();

    private static Problem[] Problems(int n, int difficulty = 1) =>
        Enumerable.Range(0, n).Select(i => Env.Sample((ulong)i + 1000, difficulty)).ToArray();

    // One chain attempt with an exact step verifier: the first invalid step fails the attempt.
    private static bool Attempt(IPolicy policy, Problem p, ulong key, ulong seed)
    {
        var lines = new List<string>();
        var state = Env.Start(p);
        var output = new ProposedStep[1];
        for (int t = 0; t < 32; t++)
        {
            policy.Propose([new PolicyContext(Env, p, state, lines, key)], 1, output, seed * 7919 + (ulong)t);
            var s = output[0];
            switch (s.Kind)
            {
                case StepKind.Answer: return Env.CheckAnswer(p, StepProtocol.AnswerOf(s.Text)).Correct;
                case StepKind.Thought: lines.Add(s.Text); continue;
                case StepKind.Correction: return false;
            }
            var v = Env.CheckStep(p, state, s.Text);
            if (!v.Valid) return false;
            state = v.State;
            lines.Add(s.Text);
        }
        return false;
    }

    [TestCase(0.3, 1)]
    [TestCase(0.3, 4)]
    [TestCase(0.6, 3)]
    public void BestOfNWithAnExactVerifierMatchesTheFormula(double p, int n)
    {
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(AttemptSkill: p, ConfidenceConcentration: 4, Verbosity: 0.2).Uniform());
        var problems = Problems(1500);
        int solved = 0;
        for (int i = 0; i < problems.Length; i++)
        {
            bool any = false;
            for (int a = 0; a < n && !any; a++) any = Attempt(policy, problems[i], (ulong)i, (ulong)a + 1);
            if (any) solved++;
        }
        double expected = 1 - Math.Pow(1 - p, n);
        double share = (double)solved / problems.Length;
        double sigma = Math.Sqrt(expected * (1 - expected) / problems.Length);
        Assert.That(share, Is.EqualTo(expected).Within(4 * sigma + 0.005), $"solved {share:F4}, expected {expected:F4}");
    }

    private static List<(double Conf, bool Correct)> OnTrackFirstSteps(SimulatedPolicyConfig cfg, int count)
    {
        var policy = new SimulatedPolicy(cfg);
        var problems = Problems(200);
        var result = new List<(double, bool)>();
        var output = new ProposedStep[8];
        for (int i = 0; i < count / 8; i++)
        {
            var p = problems[i % problems.Length];
            var plan = policy.PlanOf(Env, p);
            policy.Propose([new PolicyContext(Env, p, Env.Start(p), [], (ulong)i)], 8, output, 42);
            foreach (var s in output) result.Add((s.Confidence, s.Text == plan[0]));
        }
        return result;
    }

    private static double Ece(List<(double Conf, bool Correct)> xs, int bins = 10)
    {
        double ece = 0;
        for (int b = 0; b < bins; b++)
        {
            var inBin = xs.Where(x => Math.Min(bins - 1, (int)(x.Conf * bins)) == b).ToList();
            if (inBin.Count == 0) continue;
            ece += (double)inBin.Count / xs.Count * Math.Abs(inBin.Average(x => x.Conf) - inBin.Average(x => x.Correct ? 1.0 : 0.0));
        }
        return ece;
    }

    [Test]
    public void ConfidenceIsCalibratedOrMiscalibratedAsConfigured()
    {
        var calibrated = OnTrackFirstSteps(new SimulatedPolicyConfig(StepErrorRate: 0.3, ConfidenceConcentration: 3).Uniform(), 16000);
        Assert.That(Ece(calibrated), Is.LessThan(0.03));
        Assert.That(calibrated.Average(x => x.Correct ? 1.0 : 0.0), Is.EqualTo(0.7).Within(0.02));
        var over = OnTrackFirstSteps(new SimulatedPolicyConfig(StepErrorRate: 0.3, ConfidenceConcentration: 3, Calibration: Calibration.OverConfident).Uniform(), 8000);
        var under = OnTrackFirstSteps(new SimulatedPolicyConfig(StepErrorRate: 0.3, ConfidenceConcentration: 3, Calibration: Calibration.UnderConfident).Uniform(), 8000);
        Assert.That(over.Average(x => x.Conf), Is.GreaterThan(over.Average(x => x.Correct ? 1.0 : 0.0) + 0.05));
        Assert.That(under.Average(x => x.Conf), Is.LessThan(under.Average(x => x.Correct ? 1.0 : 0.0) - 0.05));
    }

    [Test]
    public void RepeatControlsHowOftenSamplesCopyEachOther()
    {
        var p = Problems(1)[0];
        var ctx = new PolicyContext(Env, p, Env.Start(p), [], 1);
        var all = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.9, Repeat: 1).Uniform());
        var output = new ProposedStep[16];
        all.Propose([ctx], 16, output, 5);
        Assert.That(output.Select(o => o.Text).Distinct().Count(), Is.EqualTo(1));
        var fresh = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.9, Repeat: 0).Uniform());
        fresh.Propose([ctx], 16, output, 5);
        Assert.That(output.Select(o => o.Text).Distinct().Count(), Is.GreaterThan(2));
    }

    [Test]
    public void ReflectionRetractsAnErrorAndGetsBackOnTrack()
    {
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0, Reflection: 1).Uniform());
        var p = Problems(1)[0];
        var plan = policy.PlanOf(Env, p);
        var wrong = "1 + 1 = 3";
        var output = new ProposedStep[1];
        policy.Propose([new PolicyContext(Env, p, Env.Start(p), [wrong], 1)], 1, output, 1);
        Assert.That(output[0].Kind, Is.EqualTo(StepKind.Correction));
        Assert.That(StepProtocol.EffectiveSteps([wrong, output[0].Text]), Is.Empty);
        policy.Propose([new PolicyContext(Env, p, Env.Start(p), [wrong, output[0].Text], 1)], 1, output, 1);
        Assert.That(output[0].Text, Is.EqualTo(plan[0]), "back on the reference path");
    }

    [Test]
    public void VerbosityEmitsThoughtsAtItsRate()
    {
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.1, Verbosity: 0.25).Uniform());
        var p = Problems(1)[0];
        var output = new ProposedStep[4000];
        policy.Propose([new PolicyContext(Env, p, Env.Start(p), [], 3)], 4000, output, 9);
        Assert.That(output.Count(o => o.Kind == StepKind.Thought) / 4000.0, Is.EqualTo(0.25).Within(0.03));
    }

    [Test]
    public void ProposalsDoNotDependOnTheBatch()
    {
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.4, ConfidenceConcentration: 2, Verbosity: 0.1).Uniform());
        var problems = Problems(40);
        var contexts = Enumerable.Range(0, 1200).Select(i => new PolicyContext(Env, problems[i % 40], Env.Start(problems[i % 40]), [], (ulong)i)).ToArray();
        var batch = new ProposedStep[contexts.Length * 3];
        policy.Propose(contexts, 3, batch, 77);
        var single = new ProposedStep[3];
        for (int i = 0; i < contexts.Length; i += 97)
        {
            policy.Propose([contexts[i]], 3, single, 77);
            Assert.That(single, Is.EqualTo(batch.AsSpan(i * 3, 3).ToArray()));
        }
    }
}

public class SimulatedPolicyOtherEnvironmentsTests
{
    [TestCase("code")]
    [TestCase("arith")]
    [TestCase("linear")]
    public void CorrectProposalsPassAndErrorsDiffer(string name)
    {
        var env = Sim.Environments.EnvironmentRegistry.Default.Get(name);
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.5).Uniform());
        var output = new ProposedStep[16];
        for (ulong seed = 0; seed < 4; seed++)
        {
            var p = env.Sample(seed, env.Difficulty.Default);
            var plan = policy.PlanOf(env, p);
            var answer = plan[^1];
            Assert.That(env.CheckAnswer(p, StepProtocol.AnswerOf(answer)).Correct, Is.True, "the plan's answer is right");
            // Context: every plan step taken, so the next correct line is the answer.
            var state = env.Start(p);
            foreach (var s in plan.Take(plan.Count - 1)) state = env.CheckStep(p, state, s).State;
            policy.Propose([new PolicyContext(env, p, state, plan.Take(plan.Count - 1).ToList(), seed)], 16, output, 3);
            Assert.That(output.Count(o => o.Text == answer), Is.InRange(1, 15));
            Assert.That(output.Where(o => o.Text != answer).All(o => o.Kind == StepKind.Answer));
        }
    }
}
