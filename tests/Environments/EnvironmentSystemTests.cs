using NUnit.Framework;
using Sim.Engine;
using Sim.Environments;
using Sim.Environments.Ecs;

namespace Sim.Tests.Environments;

public sealed class EnvironmentSystemTests
{
    private static Entity SpawnAgent(World world, IEnvironment env, Problem p)
    {
        var task = new EnvTask(env, p);
        return world.Create(task, new PendingStep(), EnvEpisode.Begin(task), new StepOutcome());
    }

    [Test]
    public void AnAgentsStepsAreVerifiedAndRewardedTickByTick()
    {
        using var world = World.Create(1);
        var env = EnvironmentRegistry.Default.Get("game24");
        var problem = env.Sample(3, 2);
        var solution = env.Solve(problem)!;
        var agent = SpawnAgent(world, env, problem);
        var system = new EnvironmentSystem();
        var pipeline = new Pipeline(world).Add(Stages.Environments, system);

        foreach (var step in solution.Steps)
        {
            world.Get<PendingStep>(agent) = PendingStep.Step(step); // what the policy stage would write
            pipeline.Tick();
            Assert.That(system.LastTickVerified, Is.EqualTo(1));
            ref var outcome = ref world.Get<StepOutcome>(agent);
            Assert.That(outcome.Step.Valid, Is.True, outcome.Step.Reason);
            Assert.That(world.Get<PendingStep>(agent).Ready, Is.False);
        }
        pipeline.Tick();
        Assert.That(system.LastTickVerified, Is.EqualTo(0), "nothing new, nothing verified");

        ref var episode = ref world.Get<EnvEpisode>(agent);
        Assert.That(episode.Steps, Is.EqualTo(solution.Steps.Count));
        Assert.That(episode.ProcessRewardSum, Is.EqualTo(solution.Steps.Count));
        Assert.That(episode.Done, Is.True, "the last step reaches 24");

        world.Get<PendingStep>(agent) = PendingStep.Answer(solution.Answer);
        pipeline.Tick();
        Assert.That(world.Get<EnvEpisode>(agent).Outcome, Is.EqualTo(1.0));
        Assert.That(world.Get<StepOutcome>(agent).Answer!.Value.Correct, Is.True);
    }

    [Test]
    public void ParallelVerificationMatchesSerial()
    {
        double Run(int threshold, out ulong hash)
        {
            using var world = World.Create(2);
            var env = EnvironmentRegistry.Default.Get("countdown");
            var agents = new List<(Entity, Solution)>();
            for (ulong s = 0; s < 200; s++)
            {
                var p = env.Sample(s, 2);
                agents.Add((SpawnAgent(world, env, p), env.Solve(p)!));
            }
            var pipeline = new Pipeline(world).Add(Stages.Environments, new EnvironmentSystem { ParallelThreshold = threshold });
            for (int k = 0; k < 4; k++)
            {
                foreach (var (e, sol) in agents)
                    world.Get<PendingStep>(e) = k < sol.Steps.Count ? PendingStep.Step(k % 2 == 0 ? sol.Steps[k] : "1 + 1 = 3") : PendingStep.Answer(sol.Answer);
                pipeline.Tick();
            }
            double total = 0;
            var h = new StateHasher();
            foreach (var (e, _) in agents)
            {
                var ep = world.Get<EnvEpisode>(e);
                total += ep.ProcessRewardSum + (ep.Outcome ?? 0);
                h.Add(ep.State.ToString());
                h.Add(ep.ProcessRewardSum);
            }
            hash = h.Value;
            return total;
        }
        double serial = Run(int.MaxValue, out var h1);
        double parallel = Run(1, out var h2);
        Assert.That(parallel, Is.EqualTo(serial));
        Assert.That(h2, Is.EqualTo(h1));
        Assert.That(serial, Is.GreaterThan(0));
    }

    [Test]
    public void BranchingSearchKeepsItsOwnStates()
    {
        using var world = World.Create(3);
        var env = EnvironmentRegistry.Default.Get("arith");
        var p = env.Load(new ProblemRecord("t", "q", "", new System.Text.Json.Nodes.JsonObject { ["expression"] = "2 * 3 + 4" }));
        var node = SpawnAgent(world, env, p);
        var root = world.Get<EnvEpisode>(node).State;
        world.Get<PendingStep>(node) = PendingStep.Step("2 * 3 = 6", from: root);
        new Pipeline(world).Add(Stages.Environments, new EnvironmentSystem()).Tick();
        Assert.That(world.Get<StepOutcome>(node).Step.Valid, Is.True);
        Assert.That(world.Get<EnvEpisode>(node).State, Is.SameAs(root), "a step from an explicit state does not move the chain");
    }
}
