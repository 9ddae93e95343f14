namespace Sim.Systems.Search;

/// <summary>How per-step scores along a path become one score (for PRM-guided selection, as in Lightman et al. and OpenR).</summary>
public enum ScoreAggregation : byte
{
    /// <summary>The weakest step: a chain is as good as its worst step.</summary>
    Min = 0,

    /// <summary>The last step's score.</summary>
    Last = 1,

    /// <summary>The product of the step scores (a probability that every step is right).</summary>
    Product = 2,

    /// <summary>The mean step score.</summary>
    Mean = 3,
}
