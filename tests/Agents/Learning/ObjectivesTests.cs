using Sim.Agents.Learning;
using Sim.Agents.Learning.Algorithms;
using Sim.Environments;

namespace Sim.Tests.Agents.Learning;

public class ObjectivesTests
{
    // The clipped surrogate's gradient in log π, checked against central differences of its loss, unit by unit, in
    // the unclipped region, where the clip binds, and with the KL term on.
    [TestCase(0.3, 1.0, 0.0)]
    [TestCase(0.5, -1.0, 0.1)]
    [TestCase(-0.6, 2.0, 0.04)]
    public void ClippedSurrogateGradientMatchesFiniteDifferences(double logRatio, double advantage, double beta)
    {
        float[][] old = [[-1.0f, -2.0f]];
        float[][] cur = [[(float)(-1.0 + logRatio), -2.1f]];
        float[][] reference = [[-0.8f, -2.3f]];
        float[][] adv = [[(float)advantage, (float)advantage]];
        float[][] w = [[0.5f, 0.5f]];
        var g = Objectives.ClippedSurrogate(cur, old, reference, adv, w, 0.2, beta);
        for (int u = 0; u < 2; u++)
        {
            const float h = 1e-3f;
            var plus = cur.Select(r => r.ToArray()).ToArray(); plus[0][u] += h;
            var minus = cur.Select(r => r.ToArray()).ToArray(); minus[0][u] -= h;
            double numeric = (Objectives.ClippedSurrogate(plus, old, reference, adv, w, 0.2, beta).Loss
                              - Objectives.ClippedSurrogate(minus, old, reference, adv, w, 0.2, beta).Loss) / (2 * h);
            Assert.That(g.PolicyGrad[0][u], Is.EqualTo(numeric).Within(2e-3), $"unit {u}");
        }
    }

    [Test]
    public void ClipStopsTheGradientWhereItBinds()
    {
        // Ratio e^0.5 > 1.2 with a positive advantage: the clipped term is the minimum, so no policy gradient.
        var g = Objectives.ClippedSurrogate([[0.5f]], [[0f]], null, [[1f]], [[1f]], 0.2, 0);
        Assert.That(g.PolicyGrad[0][0], Is.EqualTo(0f));
        // The same ratio with a negative advantage: the unclipped term is the minimum and keeps its gradient.
        var h = Objectives.ClippedSurrogate([[0.5f]], [[0f]], null, [[-1f]], [[1f]], 0.2, 0);
        Assert.That(h.PolicyGrad[0][0], Is.EqualTo(Math.Exp(0.5)).Within(1e-5));
    }

    [Test]
    public void GroupAdvantagesAreNormalisedWithinEachGroup()
    {
        var env = new Sim.Environments.Countdown.CountdownEnvironment();
        var p = env.Sample(1, 1);
        Trajectory T(int group, double r) => new(0, p, "", [], [], new OutcomeReward(0, r, VerdictKind.Ok, RewardSource.Verifier, r > 0), 0, group);
        var batch = new[] { T(0, 1), T(0, 0), T(0, 0), T(0, 1), T(1, 1), T(1, 1) };
        var a = Grpo.GroupAdvantages(batch, scaleByStd: true);
        Assert.That(a[0], Is.EqualTo(1).Within(1e-3));
        Assert.That(a[1], Is.EqualTo(-1).Within(1e-3));
        Assert.That(a[4], Is.EqualTo(0), "a group with equal returns carries no signal");
        var dr = Grpo.GroupAdvantages(batch, scaleByStd: false);
        Assert.That(dr[0], Is.EqualTo(0.5).Within(1e-12), "Dr. GRPO does not divide by the standard deviation");
    }

    [Test]
    public void ScoreFunctionGradientIsMinusTheCoefficient()
    {
        var g = Objectives.ScoreFunction([[-1f, -2f]], [[0.25f, -0.5f]]);
        Assert.That(g.PolicyGrad[0], Is.EqualTo(new[] { -0.25f, 0.5f }));
        Assert.That(g.Loss, Is.EqualTo(0.25 * 1 - 0.5 * 2).Within(1e-9));
    }
}
