namespace Sim.Engine;

/// <summary>
/// The tick's stages, in order, written in one place (like Bepu's timestepper). Every system belongs to exactly one
/// stage; <see cref="Pipeline"/> runs the stages in this order and plays back the world's command buffer after each.
/// </summary>
public static class Stages
{
    /// <summary>1. Spawn tasks and agents (curriculum, datasets).</summary>
    public const string Spawn = "spawn";
    /// <summary>2. Search chooses what to expand: best-of-N roots, beam frontier, MCTS selection, revision target.</summary>
    public const string SearchSelect = "search.select";
    /// <summary>3. The policy proposes next steps, batched across agents.</summary>
    public const string Policy = "policy";
    /// <summary>4. Environments verify new steps: process rewards, and outcome rewards for final answers.</summary>
    public const string Environments = "environments";
    /// <summary>5. Learned reward models and the judge, batched, plus reward shaping.</summary>
    public const string RewardModels = "reward_models";
    /// <summary>6. Search backs up values, prunes, checks budgets, commits final answers.</summary>
    public const string SearchBackup = "search.backup";
    /// <summary>7. Finished episodes end and their experience goes to buffers.</summary>
    public const string Episodes = "episodes";
    /// <summary>8. Learning updates when a buffer is ready.</summary>
    public const string Learning = "learning";
    /// <summary>9. Record the tick to the replay.</summary>
    public const string Record = "record";
    /// <summary>10. Metrics and logging.</summary>
    public const string Metrics = "metrics";

    /// <summary>The stages in run order.</summary>
    public static readonly IReadOnlyList<string> Order =
        [Spawn, SearchSelect, Policy, Environments, RewardModels, SearchBackup, Episodes, Learning, Record, Metrics];
}
