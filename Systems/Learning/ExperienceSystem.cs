using Sim.Agents.Learning;
using Sim.Engine;

namespace Sim.Systems.Learning;

/// <summary>
/// <c>episodes</c>: finished episodes become experience: they go to the <see cref="ExperienceBuffer"/>, the ledger
/// counts them, and each level's recent outcomes (the curriculum's input) are updated.
/// </summary>
public sealed class ExperienceSystem : ISystem
{
    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(LearningState)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(ExperienceBuffer), typeof(LearningState), typeof(LearningLog)];

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var r = tick.World.Resources;
        var state = r.Get<LearningState>();
        r.Get<ExperienceBuffer>().Add(state.Finished);
        r.Get<LearningLog>().EpisodesBuffered += state.Finished.Count;
        int window = state.Spec.Curriculum?.Window ?? 256;
        foreach (var t in state.Finished)
        {
            if (!state.Recent.TryGetValue(t.Problem.Difficulty, out var q)) state.Recent[t.Problem.Difficulty] = q = new Queue<bool>();
            q.Enqueue(t.Correct);
            while (q.Count > window) q.Dequeue();
        }
    }
}
