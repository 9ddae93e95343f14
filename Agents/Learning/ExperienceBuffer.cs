using Sim.Engine;

namespace Sim.Agents.Learning;

/// <summary>
/// Where finished episodes wait for the learning stage. On-policy, <see cref="TakeBatch"/> hands over everything added
/// since the last batch and empties the buffer. As a replay buffer it keeps trajectories until they are more than
/// <see cref="BufferConfig.MaxStaleness"/> versions behind the learner or the capacity pushes them out, and samples
/// whole sibling groups (so group baselines stay meaningful). Every batch records its staleness: how many policy
/// versions its experience lags the learner.
/// </summary>
public sealed class ExperienceBuffer(BufferConfig config)
{
    private readonly List<Trajectory> _items = [];

    /// <summary>The settings.</summary>
    public BufferConfig Config { get; } = config.Validate();

    /// <summary>Trajectories waiting.</summary>
    public int Count => _items.Count;

    /// <summary>Trajectories ever added.</summary>
    public long Added { get; private set; }

    /// <summary>Trajectories dropped as too stale or over capacity.</summary>
    public long Dropped { get; private set; }

    /// <summary>Mean staleness (learner version − experience version) of the last batch.</summary>
    public double LastMeanStaleness { get; private set; }

    /// <summary>Largest staleness in the last batch.</summary>
    public int LastMaxStaleness { get; private set; }

    /// <summary>Adds finished episodes.</summary>
    public void Add(IEnumerable<Trajectory> trajectories)
    {
        foreach (var t in trajectories) { _items.Add(t); Added++; }
        if (Config.Mode == BufferMode.Replay && _items.Count > Config.Capacity)
        {
            int extra = _items.Count - Config.Capacity;
            _items.RemoveRange(0, extra);
            Dropped += extra;
        }
    }

    /// <summary>The next batch for a learner at <paramref name="learnerVersion"/>; empty when nothing is usable.</summary>
    public List<Trajectory> TakeBatch(int learnerVersion, ref Rng rng)
    {
        List<Trajectory> batch;
        if (Config.Mode == BufferMode.OnPolicy)
        {
            batch = [.. _items];
            _items.Clear();
        }
        else
        {
            int before = _items.Count;
            _items.RemoveAll(t => learnerVersion - t.PolicyVersion > Config.MaxStaleness);
            Dropped += before - _items.Count;
            var groups = _items.GroupBy(t => (t.PolicyVersion, t.Group)).ToList();
            if (Config.BatchGroups > 0 && groups.Count > Config.BatchGroups)
            {
                var idx = Enumerable.Range(0, groups.Count).ToArray();
                rng.Shuffle(idx.AsSpan());
                groups = idx.Take(Config.BatchGroups).Order().Select(i => groups[i]).ToList();
            }
            // Within a batch a group keeps its key: versions differ between rounds, so give each group a fresh index.
            batch = groups.SelectMany((g, k) => g.Select(t => t with { Group = k })).ToList();
        }
        LastMeanStaleness = batch.Count == 0 ? 0 : batch.Average(t => (double)(learnerVersion - t.PolicyVersion));
        LastMaxStaleness = batch.Count == 0 ? 0 : batch.Max(t => learnerVersion - t.PolicyVersion);
        return batch;
    }
}
