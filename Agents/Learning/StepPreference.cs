namespace Sim.Agents.Learning;

/// <summary>A step-level preference: two steps written from the same context, the first preferred.</summary>
/// <param name="Chosen">The preferred step (verified).</param>
/// <param name="Rejected">The other (refuted).</param>
public sealed record StepPreference(ExperienceStep Chosen, ExperienceStep Rejected);
