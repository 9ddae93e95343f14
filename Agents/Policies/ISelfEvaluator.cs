namespace Sim.Agents.Policies;

/// <summary>
/// Self-evaluation: the policy judges its own line ("is this step correct?"), an internal signal that costs policy
/// compute (a verification prompt and a short answer), as opposed to the environment's verifier or a reward model.
/// Batch first, like <see cref="IPolicy"/>: one call serves every line every agent wants judged in a tick.
/// <para><b>Contract.</b> <c>output[i]</c> receives the judgement of <c>requests[i]</c>. The same requests and
/// <c>seed</c> give the same judgements, whatever the batch composition. Implementations are thread-safe.</para>
/// </summary>
public interface ISelfEvaluator
{
    /// <summary>A short name for reports.</summary>
    string Name { get; }

    /// <summary>Judges every request.</summary>
    void Evaluate(IReadOnlyList<SelfEvalRequest> requests, Span<SelfEvaluation> output, ulong seed);
}
