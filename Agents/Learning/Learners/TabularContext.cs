namespace Sim.Agents.Learning.Learners;

/// <summary>The tabular policy's view of a state: the candidate steps and the table slot of each (state, step) pair.</summary>
/// <param name="Candidates">The environment's candidate steps, in its order.</param>
/// <param name="Slots">Table slot of each candidate's logit.</param>
/// <param name="ValueSlot">Table slot of the state's value.</param>
public sealed record TabularContext(IReadOnlyList<string> Candidates, int[] Slots, int ValueSlot);
