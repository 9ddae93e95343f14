using NUnit.Framework;
using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;
using Sim.Systems.Search;

namespace Sim.Tests.Systems.Search;

/// <summary>The environments stage: every new node verified by its environment, the verdicts as reward components.</summary>
public class EnvironmentSystemTests
{
    private static (World World, Pipeline Pipeline) Build(string env, string search, int workers)
    {
        var e = EnvironmentRegistry.Default.Get(env);
        var world = World.Create(11);
        world.ParallelWorkers = workers;
        var spec = new ContinuousRunSpec(e, e.Difficulty.Default, PolicySpec.Parse("simulated:skill=0.4"), null, search, null, 96, RunBudget.Parse("attempts:4"), 11);
        return (world, ContinuousRun.Build(world, spec));
    }

    [TestCase("countdown", "mcts")]
    [TestCase("arith", "bon")]
    [TestCase("judge", "bon")]
    [TestCase("countdown", "revise")]
    public void EveryNewStepAndAnswerGetsTheEnvironmentsReward(string envName, string search)
    {
        var (world, pipeline) = Build(envName, search, Environment.ProcessorCount);
        using var _ = world;
        var env = EnvironmentRegistry.Default.Get(envName);
        int steps = 0, answers = 0;
        // After each tick the agents still hold this tick's reward components, and the backup has folded them into the trees.
        for (int t = 0; t < 30; t++)
        {
            pipeline.Tick();
            AgentQuery.ForEach(world, (agent, process, outcome) =>
            {
                if (agent.Episode.Problem is null) return;
                var verifier = process.Items.Where(r => r.Source == RewardSource.Verifier).ToList();
                var graded = outcome.Items.Where(r => r.Source is RewardSource.Verifier or RewardSource.Judge).ToList();
                var tree = agent.Tree;
                int si = 0, ai = 0;
                foreach (int id in agent.NewNodes)
                {
                    ref var n = ref tree[id];
                    if (n.Kind == NodeKind.Step)
                    {
                        var expected = env.CheckStep(agent.Problem, tree[n.Parent].State, n.Text);
                        var r = verifier[si++];
                        Assert.That((r.Node, r.Value, r.Verdict), Is.EqualTo((id, expected.ProcessReward, expected.Kind)));
                        Assert.That(n.Reward, Is.EqualTo(r.Value), "the backup folds the verifier's reward into the node");
                        steps++;
                    }
                    else if (n.Kind == NodeKind.Answer)
                    {
                        var expected = env.CheckAnswer(agent.Problem, n.AnswerText!);
                        var r = graded[ai++];
                        Assert.That((r.Node, r.Value, r.Correct), Is.EqualTo((id, expected.Reward, expected.Correct)));
                        Assert.That(r.Source, Is.EqualTo(expected.GoldReward is null ? RewardSource.Verifier : RewardSource.Judge));
                        answers++;
                    }
                }
                Assert.That(si, Is.EqualTo(verifier.Count), "one verifier reward per new step");
                Assert.That(ai, Is.EqualTo(graded.Count), "one graded outcome per new answer");
            });
        }
        Assert.That(steps, Is.GreaterThan(0));
        Assert.That(answers, Is.GreaterThan(0));
    }

    [TestCase("mcts")]
    [TestCase("bon")]
    public void ResultsDoNotDependOnTheNumberOfWorkers(string search)
    {
        ulong Hash(int workers)
        {
            var (world, pipeline) = Build("countdown", search, workers);
            using var _ = world;
            pipeline.Run(40);
            return world.StateHash();
        }
        Assert.That(Hash(2), Is.EqualTo(Hash(1)));
        Assert.That(Hash(7), Is.EqualTo(Hash(1)));
    }
}
