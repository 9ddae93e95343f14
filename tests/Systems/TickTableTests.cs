using System.Collections;
using System.Reflection;
using NUnit.Framework;
using Sim.Engine;
using Sim.Environments;
using Sim.Replay;
using Sim.Systems;
using Sim.Systems.Search;
using static Sim.Tests.Replay.ReplayTestFiles;

namespace Sim.Tests.Systems;

/// <summary>The tick as docs/architecture.md draws it is the tick the code runs, and no tick system walks a list of agents.</summary>
public class TickTableTests
{
    // A recorded `sim run`: the pipeline the table describes.
    private static (Pipeline Pipeline, World World, ReplayWriter Writer) BuildRecordedRun(string path)
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        var spec = new ContinuousRunSpec(env, 2, PolicySpec.Parse("simulated:skill=0.3"), null, "mcts", null, 8, RunBudget.Parse("attempts:2"), 1);
        var world = World.Create(1);
        var pipeline = ContinuousRun.Build(world, spec);
        var writer = ReplayWriter.Create(path, SearchRecording.Header(spec, 10, "test"));
        SearchRecording.AddTo(pipeline, writer);
        return (pipeline, world, writer);
    }

    private static IEnumerable<ISystem> Flatten(ISystem system) =>
        system is Group g ? g.Systems.SelectMany(Flatten) : [system];

    private static string Names(IEnumerable<Type> types) => string.Join(", ", types.Select(t => t.Name));

    [Test]
    public void TheArchitectureTableMatchesTheRealPipeline()
    {
        string doc = File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "docs", "architecture.md"));
        int a = doc.IndexOf("<!-- tick-table -->", StringComparison.Ordinal), b = doc.IndexOf("<!-- /tick-table -->", StringComparison.Ordinal);
        Assert.That(a, Is.GreaterThanOrEqualTo(0).And.LessThan(b), "docs/architecture.md has no tick table between its markers");
        var documented = doc[a..b].Split('\n').Where(l => l.StartsWith("| ") && !l.StartsWith("| stage") && !l.StartsWith("| ---"))
            .Select(l => string.Join(" | ", l.Trim().Trim('|').Split('|').Select(c => c.Trim()))).ToList();

        string path = TempPath("tick-table");
        try
        {
            var (pipeline, world, writer) = BuildRecordedRun(path);
            using (world)
            using (writer)
            {
                var actual = new List<string>();
                for (int i = 0; i < pipeline.Stages.Count; i++)
                    foreach (var system in pipeline.StageGroups[i].Systems.SelectMany(Flatten))
                        actual.Add($"{pipeline.Stages[i].Name} | {system.Name} | {Names(system.Reads)} | {Names(system.Writes)}");
                Assert.That(documented, Is.EqualTo(actual), "docs/architecture.md's tick table and the pipeline disagree");
            }
        }
        finally { File.Delete(path); }
    }

    // The types that stand for an agent's state: a collection of any of them held by a system or the run would be a side
    // list that systems share instead of querying. (Entity handles are not on the list: the recorder keeps last tick's
    // handles of each chunk as private scratch, to see which entities were created or destroyed.)
    private static readonly Type[] AgentTypes =
        [typeof(AgentEpisode), typeof(AgentWork), typeof(TickWork), typeof(SearchState), typeof(TreeHandle), typeof(SearchTree)];

    private static IEnumerable<FieldInfo> AllFields(Type type)
    {
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                yield return f;
    }

    private static bool IsAgentList(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type)) return false;
        var args = type.IsArray ? [type.GetElementType()!] : type.GetGenericArguments();
        return args.Any(t => AgentTypes.Contains(t) || (t.IsGenericType && t.GetGenericArguments().Any(AgentTypes.Contains)));
    }

    [Test]
    public void NoTickSystemHoldsAListOfAgents()
    {
        string path = TempPath("side-lists");
        try
        {
            var (pipeline, world, writer) = BuildRecordedRun(path);
            using (world)
            using (writer)
            {
                pipeline.Run(3);
                var systems = pipeline.StageGroups.SelectMany(g => g.Systems.SelectMany(Flatten)).ToList();
                Assert.That(systems, Has.Count.GreaterThanOrEqualTo(8));
                foreach (var system in systems)
                    foreach (var f in AllFields(system.GetType()))
                        Assert.That(IsAgentList(f.FieldType), Is.False, $"{system.Name}.{f.Name} is a list of agents; reach agents by query");
                // Nor do the resources they share.
                foreach (var type in new[] { typeof(SearchRun), typeof(SearchMetrics) })
                    foreach (var f in AllFields(type))
                        Assert.That(IsAgentList(f.FieldType), Is.False, $"{type.Name}.{f.Name} is a list of agents");
                Assert.That(world.CountEntities(AgentQuery.Agents), Is.EqualTo(8));
            }
        }
        finally { File.Delete(path); }
    }
}
