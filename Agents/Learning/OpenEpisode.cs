using Sim.Environments;

namespace Sim.Agents.Learning;

/// <summary>An episode in progress, as a learner sees it when it writes the next step.</summary>
/// <param name="Env">The environment.</param>
/// <param name="Problem">The task.</param>
/// <param name="Prompt">The prompt text (<see cref="Demonstrators.DemoPrompt"/>, plus the hint when rationalising).</param>
/// <param name="State">The environment state after the steps so far.</param>
/// <param name="Lines">The lines written so far.</param>
/// <param name="Last">The last step written, as the learner recorded it (a transformer continues from its exact tokens
/// rather than re-encoding the text: token in, token out), or null at the start.</param>
public sealed record OpenEpisode(IEnvironment Env, Problem Problem, string Prompt, EnvState State, IReadOnlyList<string> Lines, ExperienceStep? Last = null);
