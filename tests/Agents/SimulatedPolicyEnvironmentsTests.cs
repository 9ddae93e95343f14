using NUnit.Framework;
using Sim.Agents.Policies;
using Sim.Environments;

namespace Sim.Tests.Agents;

/// <summary><see cref="SimulatedPolicy"/> on every registered environment that has a reference solver.</summary>
public class SimulatedPolicyEnvironmentsTests
{
    public static IEnumerable<string> Names => EnvironmentRegistry.Default.Names;

    private sealed record Outcome(bool Answered, bool Correct, double Gold, int InvalidSteps);

    // One chain attempt against the environment's verifiers: thoughts are kept, a correction goes back to the state
    // before the retracted step, a rejected step stays in the trace (so the policy knows it is off track).
    private static Outcome Chain(SimulatedPolicy policy, IEnvironment env, Problem p, ulong seed)
    {
        var lines = new List<string>();
        var state = env.Start(p);
        var output = new ProposedStep[1];
        int invalid = 0;
        for (int t = 0; t < 64; t++)
        {
            policy.Propose([new PolicyContext(env, p, state, lines, seed)], 1, output, seed * 104729 + (ulong)t);
            var s = output[0];
            lines.Add(s.Text);
            switch (s.Kind)
            {
                case StepKind.Answer:
                    var a = env.CheckAnswer(p, StepProtocol.AnswerOf(s.Text));
                    // Where the reward is a proxy (the judge), "correct" is the proxy's acceptance, which its noise
                    // can withhold from a perfect answer: judge the policy by the gold reward there.
                    bool correct = a.GoldReward is { } gold ? gold >= 1 : a.Correct;
                    return new Outcome(true, correct, a.GoldReward ?? (a.Correct ? 1 : 0), invalid);
                case StepKind.Correction:
                    state = env.Start(p);
                    foreach (var step in StepProtocol.EffectiveSteps(lines))
                    {
                        var r = env.CheckStep(p, state, step);
                        if (r.Valid) state = r.State;
                    }
                    break;
                case StepKind.Step:
                    var v = env.CheckStep(p, state, s.Text);
                    if (v.Valid) state = v.State;
                    else invalid++;
                    break;
            }
        }
        return new Outcome(false, false, 0, invalid);
    }

    [TestCaseSource(nameof(Names))]
    public void APerfectPolicySolvesAndAnErringOneFailsSometimes(string name)
    {
        var env = EnvironmentRegistry.Default.Get(name);
        if (!env.HasReferenceSolver) Assert.Ignore($"{name} has no reference solver");
        var perfect = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0, Verbosity: 0.2).Uniform());
        var sloppy = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.5, ConfidenceConcentration: 2, Verbosity: 0.2, Reflection: 0.3).Uniform());
        int solvable = 0, failed = 0;
        for (ulong seed = 0; seed < 12; seed++)
        {
            var p = env.Sample(seed, env.Difficulty.Default);
            if (env.Solve(p) is null) continue;
            solvable++;
            var best = Chain(perfect, env, p, seed);
            Assert.That(best, Is.EqualTo(new Outcome(true, true, 1, 0)), $"{name} seed {seed}: ε = 0 follows the reference solution");
            var s = Chain(sloppy, env, p, seed);
            if (!s.Correct || s.Gold < 1 || s.InvalidSteps > 0) failed++;
        }
        Assert.That(solvable, Is.GreaterThanOrEqualTo(6), "most sampled problems have a reference solution");
        Assert.That(failed, Is.GreaterThan(0), "ε = 0.5 errs");
    }

    [Test]
    public void CodeErrorsAreMutantsOfTheReferenceThatMostlyFailTheHiddenTests()
    {
        var env = EnvironmentRegistry.Default.Get("code");
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 1).Uniform()); // every proposal is an error
        int mutants = 0, failing = 0;
        var output = new ProposedStep[8];
        for (ulong seed = 0; seed < 8; seed++)
        {
            var p = env.Sample(seed, env.Difficulty.Default);
            var plan = policy.PlanOf(env, p);
            var state = env.Start(p);
            foreach (var s in plan.Take(plan.Count - 1)) state = env.CheckStep(p, state, s).State;
            policy.Propose([new PolicyContext(env, p, state, plan.Take(plan.Count - 1).ToList(), seed)], 8, output, 1);
            foreach (var text in output.Select(o => o.Text).Distinct())
            {
                Assert.That(text, Is.Not.EqualTo(plan[^1]));
                Assert.That(StepProtocol.Classify(text), Is.EqualTo(StepKind.Answer));
                mutants++;
                if (!env.CheckAnswer(p, StepProtocol.AnswerOf(text)).Correct) failing++;
            }
        }
        Assert.That(mutants, Is.GreaterThanOrEqualTo(8));
        Assert.That((double)failing / mutants, Is.GreaterThanOrEqualTo(0.6), $"{failing} of {mutants} mutants fail");
    }
}
