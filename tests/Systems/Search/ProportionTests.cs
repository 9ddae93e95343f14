using Sim.Systems.Search;

namespace Sim.Tests.Systems.Search;

public class ProportionTests
{
    [Test]
    public void WilsonIntervalMatchesPublishedValues()
    {
        // Reference values from the Wilson score formula at z = 1.96 (e.g. Newcombe 1998, table I).
        var half = new Proportion(5, 10);
        Assert.That(half.Low, Is.EqualTo(0.2366).Within(5e-4));
        Assert.That(half.High, Is.EqualTo(0.7634).Within(5e-4));
        var none = new Proportion(0, 10);
        Assert.That(none.Low, Is.EqualTo(0));
        Assert.That(none.High, Is.EqualTo(0.2775).Within(5e-4));
        var all = new Proportion(29, 29);
        Assert.That(all.High, Is.EqualTo(1));
        Assert.That(all.Low, Is.EqualTo(0.8830).Within(5e-4));
    }

    [Test]
    public void NoTrialsGivesTheWholeInterval()
    {
        var p = new Proportion(0, 0);
        Assert.That((p.Rate, p.Low, p.High), Is.EqualTo((0.0, 0.0, 1.0)));
    }
}
