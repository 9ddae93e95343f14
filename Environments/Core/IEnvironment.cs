namespace Sim.Environments;

/// <summary>
/// A reasoning task as an environment: a plain class with no ECS inside. The <c>EnvironmentSystem</c> adapts it to the
/// world; the conformance checker (<c>sim envs check NAME</c>) tests any implementation.
/// <para><b>Episode.</b> <see cref="Sample"/> (or <see cref="Load"/>) makes a <see cref="Problem"/>;
/// <see cref="Start"/> gives the initial <see cref="EnvState"/>. The agent then sends steps, one line of text each, to
/// <see cref="CheckStep"/>, which returns a <see cref="StepVerdict"/> holding the next state, and finally an answer to
/// <see cref="CheckAnswer"/>, which returns the <see cref="AnswerVerdict"/>.</para>
/// <para><b>Observation.</b> The problem's <see cref="Problem.Question"/> and the state's text. The ground truth
/// (<see cref="Problem.Answer"/>) is hidden from agents.</para>
/// <para><b>Step format.</b> Defined per environment and documented in <c>docs/environments.md</c>
/// (<c>17*3=51</c> for <c>arith</c>, <c>8 - 3 = 5</c> for <c>countdown</c>, an equation for <c>linear</c>).</para>
/// <para><b>Rewards.</b> A process reward per step, within <see cref="ProcessRewardRange"/> (0 for an invalid step in
/// every built-in environment), and an outcome reward in [0, 1] for the answer (1 when correct).</para>
/// <para><b>Episode end.</b> When the agent submits an answer, or when a verdict is <see cref="StepVerdict.Terminal"/>
/// (the goal is reached, or no valid step remains), or when the agent's budget runs out (the agent's business).</para>
/// <para><b>Rules for implementers.</b> Every method is deterministic and thread-safe (the environment system calls
/// <see cref="CheckStep"/> from several threads at once), never mutates its inputs, and never throws on any step or
/// answer text: hostile input is a verdict. <see cref="Sample"/> with the same seed and difficulty returns the same problem.
/// Bad arguments (a difficulty out of range, a problem of another environment, corrupt metadata) throw
/// <see cref="ArgumentException"/> or <see cref="InvalidDataException"/>.</para>
/// </summary>
public interface IEnvironment
{
    /// <summary>The registry name, e.g. <c>countdown</c>; lower case, no spaces.</summary>
    string Name { get; }

    /// <summary>One line on the task.</summary>
    string Description { get; }

    /// <summary>The difficulty parameter: its range, default and meaning.</summary>
    DifficultySpec Difficulty { get; }

    /// <summary>The interval every process reward lies in.</summary>
    RewardRange ProcessRewardRange { get; }

    /// <summary>True when <see cref="Solve"/> returns solutions (a reference solver exists).</summary>
    bool HasReferenceSolver { get; }

    /// <summary>Generates a problem. The same seed and difficulty always give the same problem.</summary>
    Problem Sample(ulong seed, int difficulty);

    /// <summary>Rebuilds a problem from a reasoning-gym row (e.g. a JSONL file written by <c>sim envs sample</c>).</summary>
    Problem Load(ProblemRecord record);

    /// <summary>The state before any step.</summary>
    EnvState Start(Problem problem);

    /// <summary>Checks one step taken from <paramref name="state"/>. Never throws on any <paramref name="stepText"/>.</summary>
    StepVerdict CheckStep(Problem problem, EnvState state, string stepText);

    /// <summary>Checks a final answer. Never throws on any <paramref name="answerText"/>.</summary>
    AnswerVerdict CheckAnswer(Problem problem, string answerText);

    /// <summary>
    /// The reference solver: a solution whose steps are valid from <see cref="Start"/> and whose answer is correct,
    /// or null when the problem has none (an unsolvable problem, or no solver: see <see cref="HasReferenceSolver"/>).
    /// </summary>
    Solution? Solve(Problem problem);
}
