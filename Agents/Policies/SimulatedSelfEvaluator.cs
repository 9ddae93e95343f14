using Sim.Engine;
using Sim.Environments;

namespace Sim.Agents.Policies;

/// <summary>
/// Self-evaluation for the <see cref="SimulatedPolicy"/>: it knows the truth about its own line and reports it with a
/// documented error rate.
/// <para><b>Truth.</b> A step is correct when the environment accepts it (<see cref="IEnvironment.CheckStep"/> says
/// <see cref="VerdictKind.Ok"/>) and does not make the task unsolvable (<see cref="Solvability.No"/>); an answer line
/// when <see cref="IEnvironment.CheckAnswer"/> says it is right; a thought or a correction is correct (it changes nothing
/// the environment checks; the search systems do not ask about them).</para>
/// <para><b>Report.</b> The truth is flipped with probability e_self (<see cref="SimulatedSelfEvalConfig.ErrorRate"/>),
/// drawn from a stream keyed by the call's seed and the request's key; the judgement is reported as the probability
/// 1 − e_self for "correct" and e_self for "wrong" (the chance the line is right given the judgement, for a line that
/// is right or wrong equally often). So e_self = 0 reports exactly 1 or 0, the verifier's binary signal, and
/// e_self = 0.5 reports 0.5 for every line: no information.</para>
/// <para><b>Cost.</b> One policy call and <see cref="SimulatedSelfEvalConfig.Tokens"/> tokens per judgement. The
/// environment's checker stands in for the policy's own judgement (as the reference solution stands in for its
/// knowledge when it proposes); the agent is not charged a verifier call for it.</para>
/// </summary>
public sealed class SimulatedSelfEvaluator : ISelfEvaluator
{
    /// <summary>Makes a self-evaluator with the given error model.</summary>
    public SimulatedSelfEvaluator(SimulatedSelfEvalConfig config) => Config = config.Validate();

    /// <summary>The error model.</summary>
    public SimulatedSelfEvalConfig Config { get; }

    /// <inheritdoc />
    public string Name => "simulated-self";

    /// <inheritdoc />
    public void Evaluate(IReadOnlyList<SelfEvalRequest> requests, Span<SelfEvaluation> output, ulong seed)
    {
        if (output.Length < requests.Count) throw new ArgumentException($"output needs {requests.Count} slots");
        double e = Config.ErrorRate;
        for (int i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            bool truth = IsCorrect(r);
            var rng = new Rng(StableHash.Mix(seed ^ StableHash.Mix(r.Context.Key + 0x5E1F_E7A1_0000_0001UL)));
            bool says = e > 0 && rng.Chance(e) ? !truth : truth;
            output[i] = new SelfEvaluation(says ? 1 - e : e, Config.Tokens);
        }
    }

    /// <summary>Whether the line of <paramref name="r"/> is in fact correct (the truth before the error model).</summary>
    public static bool IsCorrect(in SelfEvalRequest r)
    {
        var c = r.Context;
        switch (r.Kind)
        {
            case StepKind.Answer:
                return c.Env.CheckAnswer(c.Problem, StepProtocol.AnswerOf(r.Line)).Correct;
            case StepKind.Step:
            {
                var v = c.Env.CheckStep(c.Problem, c.State, r.Line);
                return v.Valid && v.SolvableFromHere != Solvability.No;
            }
            default:
                return true;
        }
    }
}
