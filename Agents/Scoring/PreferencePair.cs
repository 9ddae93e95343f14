namespace Sim.Agents.Scoring;

/// <summary>
/// One preference for Bradley–Terry training: the labeller (a judge, the verifier, or a pairs file) preferred
/// <see cref="Chosen"/> over <see cref="Rejected"/>, both answers to the same prompt.
/// </summary>
/// <param name="Chosen">The preferred trajectory.</param>
/// <param name="Rejected">The other one.</param>
/// <param name="GoldPrefersChosen">Whether the gold reward ranks the chosen one higher: true or false where the gold
/// rewards differ, null where they tie or are unknown.</param>
public sealed record PreferencePair(TextTrajectory Chosen, TextTrajectory Rejected, bool? GoldPrefersChosen);
