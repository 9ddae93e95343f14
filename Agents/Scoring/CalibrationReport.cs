namespace Sim.Agents.Scoring;

/// <summary>
/// How well predicted probabilities match binary labels: expected calibration error (equal-width bins, weighted by count),
/// AUC (the probability that a random positive scores above a random negative, ties counting half), accuracy at 0.5,
/// and the counts.
/// </summary>
/// <param name="Ece">Expected calibration error, in [0, 1].</param>
/// <param name="Auc">Area under the ROC curve; NaN when one class is absent.</param>
/// <param name="Accuracy">Share of predictions on the right side of 0.5.</param>
/// <param name="Count">Predictions scored.</param>
/// <param name="Positives">Labels equal to 1.</param>
public sealed record CalibrationReport(double Ece, double Auc, double Accuracy, int Count, int Positives)
{
    /// <summary>Computes the report for <paramref name="predictions"/> against 0/1 <paramref name="labels"/>.</summary>
    public static CalibrationReport Compute(IReadOnlyList<double> predictions, IReadOnlyList<bool> labels, int bins = 10)
    {
        if (predictions.Count != labels.Count) throw new ArgumentException("one label per prediction");
        int n = predictions.Count;
        if (n == 0) return new CalibrationReport(double.NaN, double.NaN, double.NaN, 0, 0);
        var sumP = new double[bins];
        var sumY = new double[bins];
        var count = new int[bins];
        int correct = 0, pos = 0;
        for (int i = 0; i < n; i++)
        {
            double p = Math.Clamp(predictions[i], 0, 1);
            int b = Math.Min(bins - 1, (int)(p * bins));
            sumP[b] += p;
            sumY[b] += labels[i] ? 1 : 0;
            count[b]++;
            if ((p >= 0.5) == labels[i]) correct++;
            if (labels[i]) pos++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) if (count[b] > 0) ece += Math.Abs(sumP[b] - sumY[b]) / n;
        return new CalibrationReport(ece, AreaUnderRoc(predictions, labels), (double)correct / n, n, pos);
    }

    // Mann–Whitney U over ranks, with average ranks for ties.
    private static double AreaUnderRoc(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        int n = p.Count;
        var idx = Enumerable.Range(0, n).OrderBy(i => p[i]).ToArray();
        double rankSumPos = 0;
        long nPos = 0;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && p[idx[j + 1]] == p[idx[i]]) j++;
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) if (y[idx[k]]) { rankSumPos += rank; nPos++; }
            i = j + 1;
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) return double.NaN;
        return (rankSumPos - nPos * (nPos + 1) / 2.0) / ((double)nPos * nNeg);
    }
}
