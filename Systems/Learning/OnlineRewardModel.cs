using Sim.Agents.Learning;
using Sim.Agents.Scoring;
using Sim.Environments;

namespace Sim.Systems.Learning;

/// <summary>
/// The reward model a learning run trains from its own experience, a world resource shared by
/// <see cref="OnlineRewardSystem"/> (which scores this tick's episodes) and <see cref="OnlineRewardTrainingSystem"/>
/// (which trains it and logs its calibration).
/// </summary>
public sealed class OnlineRewardModel(RewardModel model, OnlineRewardConfig config)
{
    /// <summary>The model.</summary>
    public RewardModel Model { get; } = model;

    /// <summary>The settings.</summary>
    public OnlineRewardConfig Config { get; } = config.Validate();

    /// <summary>Labelled trajectories waiting to be trained on (the newest <see cref="OnlineRewardConfig.Window"/>).</summary>
    public Queue<LabelledTrajectory> Window { get; } = new();

    /// <summary>Training rounds so far (the model scores returns only after the first).</summary>
    public int Rounds { get; set; }

    /// <summary>
    /// Monte-Carlo step labels (Math-Shepherd's hard estimate) from the samples themselves: the label of a line is the
    /// share of correct outcomes among the tick's trajectories of the same problem that pass through the same prefix,
    /// so an outcome reward becomes a process reward without a verifier of steps.
    /// </summary>
    public static List<LabelledTrajectory> MonteCarloLabels(IEnvironment env, IReadOnlyList<Trajectory> trajectories)
    {
        var through = new Dictionary<string, (int Correct, int Total)>(StringComparer.Ordinal);
        string Key(Trajectory t, int upTo) => t.Problem.Id + "\u0001" + string.Join("\n", t.Steps.Take(upTo + 1).Select(s => s.Text));
        foreach (var t in trajectories)
            for (int j = 0; j < t.Steps.Count; j++)
            {
                var k = Key(t, j);
                var (c, n) = through.GetValueOrDefault(k);
                through[k] = (c + (t.Correct ? 1 : 0), n + 1);
            }
        return trajectories.Select(t => new LabelledTrajectory(env, t.Problem, t.Steps.Select(s => s.Text).ToArray(),
            Enumerable.Range(0, t.Steps.Count).Select(j => { var (c, n) = through[Key(t, j)]; return (float)c / n; }).ToArray(),
            t.Correct ? 1f : 0f)).ToList();
    }

    /// <summary>Exact step labels for calibration: 1 where the task is still solvable after the line (or the answer is
    /// right), 0 where it is not, NaN where the environment does not know.</summary>
    public static List<LabelledTrajectory> ExactLabels(IEnvironment env, IReadOnlyList<Trajectory> trajectories) =>
        trajectories.Select(t => new LabelledTrajectory(env, t.Problem, t.Steps.Select(s => s.Text).ToArray(),
            t.Steps.Select((s, j) => j == t.Steps.Count - 1 && s.Kind == Sim.Agents.Policies.StepKind.Answer ? (t.Correct ? 1f : 0f)
                : s.Verdict != VerdictKind.Ok ? 0f : s.Solvable switch { Solvability.Yes => 1f, Solvability.No => 0f, _ => float.NaN }).ToArray(),
            t.Correct ? 1f : 0f)).ToList();
}
