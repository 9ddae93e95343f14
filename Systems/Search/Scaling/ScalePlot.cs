using ScottPlot;

namespace Sim.Systems.Search;

/// <summary>Draws a test-time scaling plot: accuracy (with its 95% interval) against mean compute per problem, one line per algorithm.</summary>
public static class ScalePlot
{
    /// <summary>Writes the plot of <paramref name="results"/> to a PNG file; the x axis is log2 of mean compute in <paramref name="unit"/>.</summary>
    public static void SavePng(IReadOnlyList<ExperimentResult> results, BudgetUnit unit, string title, string path, int width = 900, int height = 600)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int i = 0;
        foreach (var group in results.GroupBy(r => r.Search))
        {
            var points = group.OrderBy(r => r.Scale).ToArray();
            double[] xs = points.Select(r => Math.Log2(Math.Max(1e-9, r.Mean(unit)))).ToArray();
            double[] ys = points.Select(r => r.Accuracy.Rate).ToArray();
            var color = palette.GetColor(i++);
            var line = plot.Add.Scatter(xs, ys, color);
            line.LegendText = $"{group.Key} ({points[0].Signal})";
            line.LineWidth = 2;
            line.MarkerSize = 6;
            var bars = plot.Add.ErrorBar(xs, ys, points.Select(r => r.Accuracy.High - r.Accuracy.Rate).ToArray());
            bars.YErrorNegative = points.Select(r => r.Accuracy.Rate - r.Accuracy.Low).ToArray(); // Wilson is asymmetric
            bars.Color = color;
        }
        plot.Title(title);
        plot.XLabel($"log2 mean {Budget.UnitName(unit)} per problem");
        plot.YLabel("accuracy (95% Wilson interval)");
        plot.Axes.SetLimitsY(0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir)) throw new DirectoryNotFoundException($"directory '{dir}' does not exist");
        plot.SavePng(path, width, height);
    }
}
