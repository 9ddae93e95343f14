using ScottPlot;

namespace Sim.Systems.Learning;

/// <summary>Draws a learning run's curves against the policy version: batch solve rate and held-out greedy solve rate
/// (left panel), loss, KL and entropy (right panel).</summary>
public static class LearningPlot
{
    /// <summary>Writes the curves of <paramref name="log"/> to a PNG file.</summary>
    public static void SavePng(LearningLog log, string title, string path, int width = 1200, int height = 500)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir)) throw new DirectoryNotFoundException($"directory '{dir}' does not exist");
        var multi = new Multiplot();
        multi.AddPlots(2);
        var left = multi.GetPlot(0);
        var right = multi.GetPlot(1);
        double[] v = log.Updates.Select(u => (double)u.Version).ToArray();
        Line(left, v, log.Updates.Select(u => u.SolveRate), "batch solve rate");
        Line(left, log.Evals.Select(e => (double)e.Version).ToArray(), log.Evals.Select(e => e.HeldOutSolveRate), "held-out greedy solve rate");
        if (log.Evals.Any(e => e.PoolSolveRate is not null))
            Line(left, log.Evals.Select(e => (double)e.Version).ToArray(), log.Evals.Select(e => e.PoolSolveRate ?? double.NaN), "pool greedy solve rate");
        left.Title(title);
        left.XLabel("policy version (updates)");
        left.YLabel("solve rate");
        left.Axes.SetLimitsY(0, 1.02);
        left.ShowLegend(Alignment.LowerRight);
        foreach (var key in new[] { "loss", "kl", "entropy" })
            if (log.Updates.Any(u => u.Stats.ContainsKey(key)))
                Line(right, v, log.Updates.Select(u => u.Stats.GetValueOrDefault(key, double.NaN)), key);
        right.Title("loss, KL to the reference, entropy");
        right.XLabel("policy version (updates)");
        right.ShowLegend(Alignment.UpperRight);
        multi.SavePng(path, width, height);
    }

    private static void Line(Plot plot, double[] xs, IEnumerable<double> ys, string label)
    {
        var y = ys.ToArray();
        if (xs.Length == 0) return;
        var s = plot.Add.Scatter(xs, y);
        s.LegendText = label;
        s.LineWidth = 2;
        s.MarkerSize = 4;
    }
}
