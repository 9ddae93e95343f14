namespace Sim.Environments;

/// <summary>Where a reward came from. Consumers tell exact rewards from proxies and shaping by it.</summary>
public enum RewardSource : byte
{
    /// <summary>An environment's exact verifier (step checker or answer checker).</summary>
    Verifier,
    /// <summary>An environment that grades free-form answers with a judge: a proxy, with a gold reward beside it.</summary>
    Judge,
    /// <summary>A learned (or simulated) outcome or process reward model.</summary>
    RewardModel,
    /// <summary>The policy judging its own line (internal guidance).</summary>
    SelfEval,
    /// <summary>A shaping term added by a user's system (a length penalty, a potential-based bonus...): added to the
    /// verifier's or judge's reward of the same node.</summary>
    Shaping,
}
