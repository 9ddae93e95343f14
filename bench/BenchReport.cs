using System.Text.Json;

namespace Sim.Bench;

/// <summary>The figures one suite run produced, in the order they were reported.</summary>
public sealed class BenchReport
{
    private readonly List<BenchFigure> _figures = new();

    /// <summary>The figures, in report order.</summary>
    public IReadOnlyList<BenchFigure> Figures => _figures;

    /// <summary>
    /// A figure-name prefix (<c>sim bench agents --only agents.simulated</c>); null keeps every figure. Figures outside
    /// it are dropped, and suites skip the measurements only they need (see <see cref="Wants"/>).
    /// </summary>
    public string? Only { get; init; }

    /// <summary>
    /// True when figures named <paramref name="prefix"/>… may be kept: no <see cref="Only"/> filter, or one of the two
    /// is a prefix of the other. Suites test it before a measurement that only feeds such figures.
    /// </summary>
    public bool Wants(string prefix) =>
        Only is null || prefix.StartsWith(Only, StringComparison.Ordinal) || Only.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>Adds a figure; a name may appear once. A figure outside <see cref="Only"/> is dropped.</summary>
    public void Add(string name, double value, string unit, string? note = null)
    {
        if (!Wants(name)) return;
        if (_figures.Any(f => f.Name == name)) throw new InvalidOperationException($"figure '{name}' reported twice");
        _figures.Add(new BenchFigure(name, value, unit, note));
    }

    /// <summary>The value of a figure already reported.</summary>
    public double this[string name] => _figures.First(f => f.Name == name).Value;

    /// <summary>One JSON object mapping each figure's name to its value.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            foreach (var f in _figures)
            {
                if (double.IsFinite(f.Value)) w.WriteNumber(f.Name, Math.Round(f.Value, 6));
                else w.WriteNull(f.Name);
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
