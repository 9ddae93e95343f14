using System.Diagnostics;
using Sim.Agents.Learning;
using Sim.Engine;

namespace Sim.Systems.Learning;

/// <summary>
/// <c>learning</c>: when the buffer holds experience, takes a batch (on-policy: everything since the last update;
/// replay: sampled groups within the staleness bound), runs the algorithm on the learner, bumps the policy version,
/// and logs the update with its staleness and the episode ids that fed it.
/// </summary>
public sealed class LearningSystem : ISystem
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(LearningState), typeof(ExperienceBuffer)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(ExperienceBuffer), typeof(LearningState), typeof(LearningLog)];

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var r = tick.World.Resources;
        var state = r.Get<LearningState>();
        var buffer = r.Get<ExperienceBuffer>();
        var spec = state.Spec;
        var rng = new Rng(StableHash.Combine(spec.Seed, StableHash.Combine(0xB0FFUL, (ulong)state.Tick)));
        var batch = buffer.TakeBatch(state.PolicyVersion, ref rng);
        if (batch.Count == 0) return;
        var context = new LearnContext(state.Reference, StableHash.Combine(spec.Seed, (ulong)state.Tick));
        var stats = spec.Algorithm.Learn(spec.Learner, batch, context);
        state.PolicyVersion++;
        r.Get<LearningLog>().Updates.Add(new UpdateRecord(state.Tick, state.PolicyVersion, batch.Min(t => t.Id), batch.Max(t => t.Id), batch.Count,
            batch.Count(t => t.Correct) / (double)batch.Count, buffer.LastMeanStaleness, buffer.LastMaxStaleness, state.Difficulty,
            new SortedDictionary<string, double>(stats.Values, StringComparer.Ordinal), _clock.Elapsed.TotalSeconds));
    }
}
