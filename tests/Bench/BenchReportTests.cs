using System.Text.Json;
using Sim.Bench;

namespace Sim.Tests.Bench;

public class BenchReportTests
{
    [Test]
    public void JsonHasOneNumberPerFigureInOrder()
    {
        var report = new BenchReport();
        report.Add("x.a", 1.5, "ns");
        report.Add("x.b", double.NaN, "x");
        using var doc = JsonDocument.Parse(report.ToJson());
        var props = doc.RootElement.EnumerateObject().ToList();
        Assert.That(props.Select(p => p.Name), Is.EqualTo(new[] { "x.a", "x.b" }));
        Assert.That(props[0].Value.GetDouble(), Is.EqualTo(1.5));
        Assert.That(props[1].Value.ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.Throws<InvalidOperationException>(() => report.Add("x.a", 2, "ns"));
    }

    [Test]
    public void EverySuiteHasAUniqueName()
    {
        var names = BenchSuites.All.Select(s => s.Name).ToList();
        Assert.That(names, Is.Unique);
        Assert.That(names, Does.Contain("ecs"));
    }
}
