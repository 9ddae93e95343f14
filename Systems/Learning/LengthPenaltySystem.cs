using Sim.Agents.Learning;
using Sim.Engine;

namespace Sim.Systems.Learning;

/// <summary>
/// <c>reward_models</c>: overthinking control by reward shaping. Each finished episode's return becomes its outcome
/// minus <see cref="Coefficient"/> × the units (tokens, or choices) it wrote, so among equally correct answers the
/// shorter one is preferred. With coefficient 0 the system is not added.
/// </summary>
public sealed class LengthPenaltySystem(double coefficient) : ISystem
{
    /// <summary>Return lost per unit written.</summary>
    public double Coefficient { get; } = coefficient >= 0 ? coefficient : throw new ArgumentException("the length penalty must be >= 0");

    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(LearningState)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(LearningState)];

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var finished = tick.World.Resources.Get<LearningState>().Finished;
        for (int i = 0; i < finished.Count; i++)
        {
            var t = finished[i];
            finished[i] = t with { Return = (double.IsNaN(t.Return) ? t.Outcome.Value : t.Return) - Coefficient * t.Units };
        }
    }
}
