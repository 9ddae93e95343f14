namespace Sim.Environments.Ecs;

/// <summary>The component holding the result of the entity's last verified step or answer.</summary>
public struct StepOutcome
{
    /// <summary>The verdict on the last step (default when the last item was an answer).</summary>
    public StepVerdict Step;

    /// <summary>The verdict on the answer, when the last item was one.</summary>
    public AnswerVerdict? Answer;

    /// <summary>The tick it was verified on (0: never).</summary>
    public long Tick;
}
