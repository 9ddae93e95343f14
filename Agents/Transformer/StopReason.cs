namespace Sim.Agents.Transformer;

/// <summary>Why a sampled step ended.</summary>
public enum StopReason : byte
{
    /// <summary>The model emitted the step delimiter (a newline); the step text excludes it.</summary>
    Delimiter = 0,

    /// <summary>The model emitted the end-of-sequence token: the trajectory is over.</summary>
    EndOfSequence = 1,

    /// <summary>The step reached <see cref="SamplingSettings.MaxStepTokens"/> or the context filled up.</summary>
    Length = 2,
}
