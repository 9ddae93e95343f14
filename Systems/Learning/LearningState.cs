using Sim.Agents.Learning;
using Sim.Environments;

namespace Sim.Systems.Learning;

/// <summary>
/// The learning run's shared state, a world resource: the spec, the reference policy, this tick's tasks and
/// finished episodes, the policy version (one per learning update), the next episode id, and the difficulty the
/// spawn stage chose. Systems reach it through <c>world.Resources</c>.
/// </summary>
public sealed class LearningState(LearningRunSpec spec)
{
    /// <summary>The spec.</summary>
    public LearningRunSpec Spec { get; } = spec;

    /// <summary>The frozen starting policy (KL and DPO reference), or null.</summary>
    public IFrozenPolicy? Reference { get; set; }

    /// <summary>Ticks of the run so far, counted by the spawn stage; it keys the run's streams and is saved in
    /// checkpoints, so a resumed run continues with the same problems and draws.</summary>
    public long Tick { get; set; }

    /// <summary>Learning updates made: the policy version stamped on new experience.</summary>
    public int PolicyVersion { get; set; }

    /// <summary>Id of the next episode (ids are unique and consecutive over the run: the episode ledger).</summary>
    public long NextEpisodeId { get; set; }

    /// <summary>Difficulty of this tick's problems.</summary>
    public int Difficulty { get; set; } = spec.Difficulty;

    /// <summary>This tick's problems (set in <c>spawn</c>).</summary>
    public List<Rollouts.Task> Tasks { get; } = [];

    /// <summary>This tick's finished episodes (set in <c>policy</c>, shaped in <c>reward_models</c>, moved to the
    /// buffer in <c>episodes</c>).</summary>
    public List<Trajectory> Finished { get; } = [];

    /// <summary>Recent outcomes per difficulty level (newest last, at most the curriculum window), for the curriculum.</summary>
    public Dictionary<int, Queue<bool>> Recent { get; } = [];

    /// <summary>The held-out problems of the evaluation.</summary>
    public IReadOnlyList<Problem> HeldOut { get; set; } = [];

    /// <summary>The fixed training pool, when the spec asks for one.</summary>
    public IReadOnlyList<Problem>? Pool { get; set; }
}
