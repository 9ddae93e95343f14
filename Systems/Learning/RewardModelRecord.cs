namespace Sim.Systems.Learning;

/// <summary>Calibration of the online reward model after a training round, on the tick's episodes, against the
/// environment's exact step values (steps) and the verifier's outcomes.</summary>
/// <param name="Version">Policy version at the round.</param>
/// <param name="StepEce">Expected calibration error of the step scores.</param>
/// <param name="StepAuc">AUC of the step scores (solvable against not).</param>
/// <param name="OutcomeEce">ECE of the final scores against the outcomes.</param>
/// <param name="OutcomeAuc">AUC of the final scores.</param>
/// <param name="Steps">Steps with an exact label.</param>
/// <param name="Loss">Mean training loss of the round.</param>
public sealed record RewardModelRecord(int Version, double StepEce, double StepAuc, double OutcomeEce, double OutcomeAuc, int Steps, double Loss);
