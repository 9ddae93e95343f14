using Sim.Engine;

namespace Sim.Systems.Learning;

/// <summary>
/// <c>spawn</c>, before <see cref="TaskSpawnSystem"/>: chooses the difficulty of the tick's problems from the recent
/// solve rate at the current level. Below the band's low edge it steps one level down, above the high edge one level
/// up (within the environment's range); a level is judged only once its window is full, so one lucky tick does not
/// move it. The levels chosen go to <see cref="LearningLog.Levels"/>.
/// </summary>
public sealed class CurriculumSystem(CurriculumConfig config) : ISystem
{
    /// <summary>The settings.</summary>
    public CurriculumConfig Config { get; } = config.Validate();

    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(LearningState)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(LearningState)];

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var state = tick.World.Resources.Get<LearningState>();
        var range = state.Spec.Env.Difficulty;
        if (!state.Recent.TryGetValue(state.Difficulty, out var recent) || recent.Count < Config.Window) return;
        double rate = recent.Count(x => x) / (double)recent.Count;
        int next = rate < Config.Low ? state.Difficulty - 1 : rate > Config.High ? state.Difficulty + 1 : state.Difficulty;
        next = Math.Clamp(next, range.Min, range.Max);
        if (next == state.Difficulty) return;
        // A level is judged afresh each time it is entered.
        if (state.Recent.TryGetValue(next, out var old)) old.Clear();
        state.Difficulty = next;
    }
}
