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

    [Test]
    public void OnlyKeepsFiguresUnderItsPrefix()
    {
        var report = new BenchReport { Only = "agents.simulated" };
        Assert.That(report.Wants("agents.simulated"), Is.True);
        Assert.That(report.Wants("agents"), Is.True, "a suite that measures several figures still runs");
        Assert.That(report.Wants("agents.transformer"), Is.False);
        report.Add("agents.transformer.parameters", 1, "params");
        report.Add("agents.simulated.steps_per_s", 2, "steps/s");
        Assert.That(report.Figures.Select(f => f.Name), Is.EqualTo(new[] { "agents.simulated.steps_per_s" }));
        Assert.That(new BenchReport().Wants("anything"), Is.True);
    }
}
