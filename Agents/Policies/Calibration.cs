namespace Sim.Agents.Policies;

/// <summary>How a <see cref="SimulatedPolicy"/> reports confidence relative to its true chance of being right.</summary>
public enum Calibration : byte
{
    /// <summary>Reports its true probability q of being correct.</summary>
    Calibrated = 0,

    /// <summary>Reports q^(1/s) ≥ q (s = <see cref="SimulatedPolicyConfig.MiscalibrationStrength"/>).</summary>
    OverConfident = 1,

    /// <summary>Reports q^s ≤ q.</summary>
    UnderConfident = 2,
}
