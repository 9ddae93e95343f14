namespace Sim.Systems.Learning;

/// <summary>Curriculum settings: keep the recent solve rate at the current level inside [<paramref name="Low"/>,
/// <paramref name="High"/>], moving one level down below the band and one up above it.</summary>
/// <param name="Low">Lower edge of the target solve-rate band.</param>
/// <param name="High">Upper edge.</param>
/// <param name="Window">Episodes per level the recent solve rate is taken over.</param>
public sealed record CurriculumConfig(double Low = 0.3, double High = 0.7, int Window = 256)
{
    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> with the reason.</summary>
    public CurriculumConfig Validate()
    {
        if (!(Low >= 0 && Low < High && High <= 1)) throw new ArgumentException("the curriculum band needs 0 <= low < high <= 1");
        if (Window < 1) throw new ArgumentException("the curriculum window must be >= 1");
        return this;
    }
}
