using System.Text.Json;
using Sim.Engine;
using Sim.Replay;
using Sim.Systems.Recording;

namespace Sim.Systems.Learning;

/// <summary>
/// Records a learning run as a replay: every tick's episodes (prompt, completion, return, verdict, tokens; the episode
/// id is the ledger's) and the learning curves as metrics (batch solve rate, return, loss, KL, entropy, staleness, the
/// latest held-out solve rate, and the first and last episode ids that fed the tick's update), so the viewer's charts
/// show them over ticks and an update's episodes are the ones recorded in its tick (on-policy) or found by their ids.
/// </summary>
public static class LearningRecording
{
    /// <summary>The replay header of a learning run.</summary>
    public static ReplayHeader Header(LearningRunSpec spec, long ticks, string codeVersion) => new(
        ReplayFormat.CurrentVersion, spec.Seed, codeVersion, "learning",
        JsonSerializer.Serialize(new
        {
            env = spec.Env.Name, difficulty = spec.Difficulty, learner = spec.Learner.Name, algorithm = spec.Algorithm.Name,
            problems_per_tick = spec.ProblemsPerTick, samples = spec.SamplesPerProblem, buffer = (spec.Buffer ?? new()).Mode.ToString(),
            pool = spec.TrainPool, length_penalty = spec.LengthPenalty, ticks,
        }),
        [], ChunkTicks: 0);

    /// <summary>Adds the recorder (episodes stage and record stage) to a learning-run pipeline.</summary>
    public static RecordSystem AddTo(Pipeline pipeline, ReplayWriter writer)
    {
        pipeline.World.Resources.Set(new ReplayEvents());
        pipeline.Add(Stages.Episodes, new EpisodeRecordSystem());
        var recorder = new RecordSystem(writer)
            .TrackMetrics(world =>
            {
                var log = world.Resources.Get<LearningLog>();
                var m = new List<MetricRecord>();
                if (log.Updates.Count > 0)
                {
                    var u = log.Updates[^1];
                    m.Add(new MetricRecord("solve_rate", u.SolveRate));
                    m.Add(new MetricRecord("staleness", u.MeanStaleness));
                    m.Add(new MetricRecord("update.first_episode", u.FirstEpisode));
                    m.Add(new MetricRecord("update.last_episode", u.LastEpisode));
                    m.Add(new MetricRecord("difficulty", u.Difficulty));
                    foreach (var key in new[] { "reward", "loss", "kl", "entropy", "clip_fraction" })
                        if (u.Stats.TryGetValue(key, out var v) && double.IsFinite(v)) m.Add(new MetricRecord(key, v));
                }
                if (log.Evals.Count > 0) m.Add(new MetricRecord("heldout_solve_rate", log.Evals[^1].HeldOutSolveRate));
                return m;
            })
            .Reading(typeof(LearningLog));
        pipeline.Add(Stages.Record, recorder);
        return recorder;
    }

    /// <summary><c>episodes</c>: the tick's finished episodes as replay episode records.</summary>
    private sealed class EpisodeRecordSystem : ISystem
    {
        public IReadOnlyList<Type> Reads { get; } = [typeof(LearningState)];

        public IReadOnlyList<Type> Writes { get; } = [typeof(ReplayEvents)];

        public void Update(in TickContext tick)
        {
            var r = tick.World.Resources;
            var events = r.Get<ReplayEvents>();
            foreach (var t in r.Get<LearningState>().Finished)
                events.Episodes.Add(new EpisodeRecord(t.Group, t.Id, t.Group, t.Prompt, string.Join("\n", t.Steps.Select(s => s.Text)),
                    (float)t.Reward, t.Correct, t.Units));
        }
    }
}
