using System.Text.Json;
using NUnit.Framework;
using Sim.Engine;
using Sim.Environments;
using Sim.Systems;
using Sim.Systems.Search;
using Sim.Tests.Cli;
using Sim.Tests.Systems.Examples;

namespace Sim.Tests.Systems;

/// <summary>docs/writing-systems.md's example is real: the doc quotes it whole, and it runs in a pipeline and in sim run.</summary>
public class WritingSystemsTests
{
    private static string Output(string relative) => Path.Combine(TestContext.CurrentContext.TestDirectory, relative);

    [Test]
    public void TheDocQuotesTheExampleWhole()
    {
        string doc = File.ReadAllText(Output("docs/writing-systems.md"));
        string code = File.ReadAllText(Output("examples/LengthPenalty.cs"));
        Assert.That(doc, Does.Contain("```csharp\n" + code + "```"));
        Assert.That(code.Split('\n').Length, Is.LessThan(40), "the example stays under 40 lines");
    }

    [Test]
    public void ThePenaltyReachesTheSearchTrees()
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        var spec = new ContinuousRunSpec(env, 2, PolicySpec.Parse("simulated:skill=0.3"), null, "beam", null, 32, RunBudget.Parse("attempts:4"), 3);
        using var world = World.Create(3);
        var pipeline = ContinuousRun.Build(world, spec);
        pipeline.Add(Stages.RewardModels, new LengthPenalty { PerToken = 0.02 });
        int shaped = 0;
        for (int t = 0; t < 25; t++)
        {
            pipeline.Tick();
            AgentQuery.ForEach(world, (agent, process, _) =>
            {
                var verifier = process.Items.Where(r => r.Source == RewardSource.Verifier).ToList();
                var shaping = process.Items.Where(r => r.Source == RewardSource.Shaping).ToList();
                Assert.That(shaping.Select(r => r.Node), Is.EqualTo(verifier.Select(r => r.Node)), "one penalty per verified step");
                for (int i = 0; i < verifier.Count; i++)
                {
                    int node = verifier[i].Node;
                    Assert.That(shaping[i].Value, Is.EqualTo(-0.02 * agent.Tree[node].Tokens));
                    Assert.That(agent.Tree[node].Reward, Is.EqualTo(verifier[i].Value + shaping[i].Value).Within(1e-12),
                        "the search's tree holds the verifier's reward plus the shaping");
                }
                shaped += shaping.Count;
            });
        }
        Assert.That(shaped, Is.GreaterThan(100));
    }

    [Test]
    public void SimRunLoadsThePlugIn()
    {
        string plugin = typeof(LengthPenalty).Assembly.Location;
        string[] common = ["run", "--search", "beam", "--agents", "32", "--ticks", "30", "--json"];
        var (code, stdout, stderr) = CliTests.Run([.. common, "--plugin", plugin]);
        Assert.That(code, Is.EqualTo(0), stderr);
        using var with = JsonDocument.Parse(stdout);
        Assert.That(with.RootElement.GetProperty("plugins").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "LengthPenalty@reward_models" }));
        var (code2, stdout2, _) = CliTests.Run(common);
        Assert.That(code2, Is.EqualTo(0));
        using var without = JsonDocument.Parse(stdout2);
        Assert.That(with.RootElement.GetProperty("state_hash").GetString(), Is.Not.EqualTo(without.RootElement.GetProperty("state_hash").GetString()),
            "the shaping changed what the search did");
    }

    [TestCase("no-such-plugin.dll", "not found")]
    [TestCase("docs/architecture.md", "not a .NET assembly")]
    public void ABadPlugInIsAUsageError(string relative, string message)
    {
        var (code, _, stderr) = CliTests.Run("run", "--agents", "4", "--ticks", "2", "--plugin", Output(relative));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain(message));
    }

    [Test]
    public void AnAssemblyWithoutPlugInsIsAUsageError()
    {
        var (code, _, stderr) = CliTests.Run("run", "--agents", "4", "--ticks", "2", "--plugin", typeof(World).Assembly.Location);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("no public ISystem marked [RunsIn"));
    }
}
