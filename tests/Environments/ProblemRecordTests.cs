using NUnit.Framework;
using Sim.Environments;

namespace Sim.Tests.Environments;

public sealed class ProblemRecordTests
{
    [Test]
    public void ReadsJsonlAndNamesTheBadLine()
    {
        var env = EnvironmentRegistry.Default.Get("arith");
        string text = env.Sample(1, 1).ToRecord().ToJson() + "\n\n" + env.Sample(2, 1).ToRecord().ToJson() + "\n";
        var rows = ProblemRecord.ReadJsonl(new StringReader(text));
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(EnvironmentRegistry.Default.Load(rows[1]).Answer, Is.EqualTo(env.Sample(2, 1).Answer));
        var ex = Assert.Throws<InvalidDataException>(() => ProblemRecord.ReadJsonl(new StringReader(text + "{not json\n")));
        Assert.That(ex!.Message, Does.StartWith("line 4:"));
    }

    [Test]
    public void LoadsAReasoningGymCountdownRowByEnvironmentName()
    {
        // reasoning-gym's countdown rows carry no env name; their scorer requires every number to be used.
        var row = ProblemRecord.Parse("""
            {"question": "Calculate 24 using all of these numbers: 8, 3, 4, 4.", "answer": "(8 - 3) * 4 + 4",
             "metadata": {"numbers": [8, 3, 4, 4], "target": 24, "expression": "(8 - 3) * 4 + 4", "must_use_all": true}}
            """);
        Assert.That(row.EnvName, Is.Null);
        Assert.Throws<InvalidDataException>(() => EnvironmentRegistry.Default.Load(row));
        var p = EnvironmentRegistry.Default.Load(row, "countdown");
        var env = EnvironmentRegistry.Default.Get("countdown");
        Assert.That(env.CheckAnswer(p, p.Answer).Correct, Is.True);
        Assert.That(env.CheckAnswer(p, "8 * 3").Kind, Is.EqualTo(VerdictKind.Invalid), "every number must be used");
    }
}
