using Sim.Engine;

namespace Sim.Tests.Engine;

public class RngTests
{
    [Test]
    public void NextIntStaysInBoundsAndCoversTheRange()
    {
        var rng = new Rng(1);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[rng.NextInt(7)]++;
        // Each bucket expects 10,000; 5 sigma is about 450.
        Assert.That(counts.All(c => Math.Abs(c - 10_000) < 450), Is.True, string.Join(",", counts));
        for (int i = 0; i < 1000; i++) Assert.That(rng.NextInt(-3, 4), Is.InRange(-3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
    }

    [Test]
    public void NextDoubleIsUniformInUnitInterval()
    {
        var rng = new Rng(2);
        double sum = 0;
        for (int i = 0; i < 100_000; i++)
        {
            double u = rng.NextDouble();
            Assert.That(u, Is.GreaterThanOrEqualTo(0.0).And.LessThan(1.0));
            sum += u;
        }
        Assert.That(sum / 100_000, Is.EqualTo(0.5).Within(0.005));
    }

    [Test]
    public void GaussianHasUnitVariance()
    {
        var rng = new Rng(3);
        double s = 0, s2 = 0;
        const int n = 100_000;
        for (int i = 0; i < n; i++) { double g = rng.NextGaussian(); s += g; s2 += g * g; }
        Assert.That(s / n, Is.EqualTo(0).Within(0.02));
        Assert.That(s2 / n, Is.EqualTo(1).Within(0.03));
    }

    [Test]
    public void ShuffleIsAPermutation()
    {
        var rng = new Rng(4);
        var items = Enumerable.Range(0, 50).ToArray();
        rng.Shuffle(items.AsSpan());
        Assert.That(items.OrderBy(x => x), Is.EqualTo(Enumerable.Range(0, 50)));
        Assert.That(items, Is.Not.EqualTo(Enumerable.Range(0, 50)));
    }
}
