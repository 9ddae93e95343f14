namespace Sim.Environments;

/// <summary>
/// A capability of environments whose answers are free-form text graded against a hidden rubric (a judge): the
/// reward is a proxy, with a gold reward beside it. A simulated policy that writes such answers asks it two things,
/// so it needs no knowledge of any particular judge: which rubric a problem has (problems that share one share the
/// policy's precomputed plan), and which sentences earn nothing under it.
/// </summary>
public interface IRubricGraded
{
    /// <summary>
    /// A key naming <paramref name="problem"/>'s rubric (equal for problems graded the same way), or null when the
    /// problem has none.
    /// </summary>
    string? RubricKey(Problem problem);

    /// <summary>
    /// True when <paramref name="sentence"/> earns no gold credit under any key point of <paramref name="problem"/>'s
    /// rubric (not only the required ones) and triggers none of the grader's biases: a sentence that neither helps nor
    /// games the grade.
    /// </summary>
    bool IsNeutral(Problem problem, string sentence);
}
