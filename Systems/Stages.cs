using Sim.Engine;

namespace Sim.Systems;

/// <summary>
/// The stages of Sim's reasoning tick, in order, written in one place (like Bepu's timestepper). Every system belongs to
/// exactly one stage; a <see cref="Pipeline"/> built with <see cref="Order"/> runs them in this order and plays back the
/// world's command buffer after each. The engine knows nothing of these names.
/// </summary>
public static class Stages
{
    /// <summary>1. Spawn tasks and agents (curriculum, datasets).</summary>
    public static readonly Stage Spawn = new("spawn");
    /// <summary>2. Search chooses what to expand: best-of-N roots, beam frontier, MCTS selection, revision target.</summary>
    public static readonly Stage SearchSelect = new("search.select");
    /// <summary>3. The policy proposes next steps, batched across agents.</summary>
    public static readonly Stage Policy = new("policy");
    /// <summary>4. Environments verify new steps: process rewards, and outcome rewards for final answers.</summary>
    public static readonly Stage Environments = new("environments");
    /// <summary>5. Learned reward models and the judge, batched, plus reward shaping.</summary>
    public static readonly Stage RewardModels = new("reward_models");
    /// <summary>6. Search backs up values, prunes, checks budgets, commits final answers.</summary>
    public static readonly Stage SearchBackup = new("search.backup");
    /// <summary>7. Finished episodes end and their experience goes to buffers.</summary>
    public static readonly Stage Episodes = new("episodes");
    /// <summary>8. Learning updates when a buffer is ready.</summary>
    public static readonly Stage Learning = new("learning");
    /// <summary>9. Record the tick to the replay.</summary>
    public static readonly Stage Record = new("record");
    /// <summary>10. Metrics and logging.</summary>
    public static readonly Stage Metrics = new("metrics");

    /// <summary>The stages in run order.</summary>
    public static readonly IReadOnlyList<Stage> Order =
        [Spawn, SearchSelect, Policy, Environments, RewardModels, SearchBackup, Episodes, Learning, Record, Metrics];

    /// <summary>A pipeline over <paramref name="world"/> with Sim's stages.</summary>
    public static Pipeline NewPipeline(World world) => new(world, Order);
}
