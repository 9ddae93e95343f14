namespace Sim.Environments;

/// <summary>
/// A capability of environments with a small, discrete step space (countdown's moves): they can list the steps their
/// grammar forms from a state. Not every candidate need be valid; the step verifier decides. A simulated policy uses it
/// to make the mistakes real policies make besides slips: valid steps that lead into dead ends.
/// </summary>
public interface IStepEnumerator
{
    /// <summary>The candidate steps from <paramref name="state"/>, in a fixed order (the same for the same state).</summary>
    IReadOnlyList<string> CandidateSteps(Problem problem, EnvState state);
}
