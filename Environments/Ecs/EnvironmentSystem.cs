using Sim.Engine;

namespace Sim.Environments.Ecs;

/// <summary>
/// Stage 4 of the tick (<see cref="Stages.Environments"/>): verifies every new step of every entity in one pass and
/// attaches process and outcome rewards. It gathers the entities with a ready <see cref="PendingStep"/> (and
/// <see cref="EnvTask"/>, <see cref="EnvEpisode"/>, <see cref="StepOutcome"/>), verifies them on every core when there
/// are at least <see cref="ParallelThreshold"/> of them (environments are thread-safe), then writes the verdicts back in
/// entity order, so results never depend on thread timing.
/// </summary>
public sealed class EnvironmentSystem : ISystem
{
    private static readonly QueryDescription Query = new QueryDescription().WithAll<EnvTask, PendingStep, EnvEpisode, StepOutcome>();

    private readonly List<Entity> _entities = new();
    private Work[] _work = new Work[64];

    private struct Work
    {
        public EnvTask Task;
        public PendingStep Pending;
        public EnvState From;
        public StepVerdict Step;
        public AnswerVerdict Answer;
    }

    /// <summary>Below this many pending steps in a tick, verification runs on the calling thread.</summary>
    public int ParallelThreshold { get; init; } = 32;

    /// <summary>Steps and answers verified in the last tick.</summary>
    public int LastTickVerified { get; private set; }

    /// <inheritdoc />
    public string Name => "environments";

    private struct Gather(EnvironmentSystem owner) : IForEachWithEntity<EnvTask, PendingStep, EnvEpisode, StepOutcome>
    {
        public void Update(Entity entity, ref EnvTask task, ref PendingStep pending, ref EnvEpisode episode, ref StepOutcome outcome)
        {
            if (!pending.Ready) return;
            int i = owner._entities.Count;
            if (i == owner._work.Length) Array.Resize(ref owner._work, i * 2);
            owner._entities.Add(entity);
            owner._work[i] = new Work { Task = task, Pending = pending, From = pending.From ?? episode.State };
        }
    }

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var world = tick.World;
        _entities.Clear();
        var gather = new Gather(this);
        world.InlineEntityQuery<Gather, EnvTask, PendingStep, EnvEpisode, StepOutcome>(Query, ref gather);
        int n = _entities.Count;
        LastTickVerified = n;
        if (n == 0) return;

        var work = _work;
        if (n >= ParallelThreshold && world.ParallelWorkers > 1)
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = world.ParallelWorkers }, i => Verify(ref work[i]));
        else
            for (int i = 0; i < n; i++) Verify(ref work[i]);

        for (int i = 0; i < n; i++)
        {
            var e = _entities[i];
            ref var w = ref work[i];
            ref var episode = ref world.Get<EnvEpisode>(e);
            ref var outcome = ref world.Get<StepOutcome>(e);
            ref var pending = ref world.Get<PendingStep>(e);
            outcome.Tick = tick.Tick;
            if (w.Pending.IsAnswer)
            {
                outcome.Answer = w.Answer;
                outcome.Step = default;
                episode.Outcome = w.Answer.Reward;
                episode.Gold = w.Answer.GoldReward;
                episode.Done = true;
            }
            else
            {
                outcome.Step = w.Step;
                outcome.Answer = null;
                episode.Steps++;
                episode.LastProcessReward = w.Step.ProcessReward;
                episode.ProcessRewardSum += w.Step.ProcessReward;
                if (w.Step.Valid) episode.ValidSteps++;
                // Only a step taken from the entity's own chain advances it; a branching search keeps results per node.
                if (w.Pending.From is null && w.Step.Valid)
                {
                    episode.State = w.Step.State;
                    episode.SolvableFromHere = w.Step.SolvableFromHere;
                    if (w.Step.Terminal) episode.Done = true;
                }
            }
            pending.Ready = false;
            w = default; // drop references so the GC can collect old states
        }
    }

    private static void Verify(ref Work w)
    {
        string text = w.Pending.Text ?? "";
        if (w.Pending.IsAnswer) w.Answer = w.Task.Environment.CheckAnswer(w.Task.Problem, text);
        else w.Step = w.Task.Environment.CheckStep(w.Task.Problem, w.From, text);
    }
}
