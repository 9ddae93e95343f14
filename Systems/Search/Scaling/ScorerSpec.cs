using Sim.Agents.Scoring;

namespace Sim.Systems.Search;

/// <summary>
/// Parses the <c>--rm</c> option: <c>simulated</c> or <c>simulated:noise=σ,bias=β,shrink=δ</c> (a <see cref="SimulatedRewardModel"/>),
/// or the directory of a reward model trained with <c>sim train rm</c> (a <see cref="RewardModel"/>).
/// </summary>
public static class ScorerSpec
{
    /// <summary>
    /// Makes the reward model named by <paramref name="spec"/>. A trained model that records what it was trained on
    /// (<see cref="RewardModel.TrainedOn"/>) and was trained for another environment than <paramref name="env"/> or
    /// another policy than <paramref name="policy"/> is still loaded, and <paramref name="warn"/> hears it once.
    /// </summary>
    public static INodeScorer Parse(string spec, ulong seed, string? env = null, string? policy = null, Action<string>? warn = null)
    {
        var (kind, args) = OptionSpec.Split(spec);
        if (kind == "simulated")
        {
            var rm = new SimulatedRewardModel(Seed: seed);
            foreach (var (key, value) in OptionSpec.Pairs(args, "reward-model"))
            {
                double v = OptionSpec.Number("reward-model", key, value);
                rm = key switch
                {
                    "noise" when v >= 0 && v <= 10 => rm with { Noise = v },
                    "shrink" when v >= 0 && v < 0.5 => rm with { Shrink = v },
                    "bias" when v >= 0 && v <= 10 => rm with { Bias = v },
                    "noise" or "shrink" or "bias" => throw new FormatException($"reward-model option '{key}={value}' is out of range (noise and bias 0..10, shrink 0..0.5)"),
                    _ => throw new FormatException($"unknown reward-model option '{key}'; known: noise, bias, shrink"),
                };
            }
            return rm;
        }
        if (!Directory.Exists(spec))
            throw new DirectoryNotFoundException($"--rm: '{spec}' is neither 'simulated[:noise=N]' nor a reward-model directory");
        var model = RewardModel.Load(spec);
        if (model.TrainedOn is { } on && warn is not null)
        {
            string? trainedEnv = (string?)on["env"], trainedPolicy = (string?)on["policy"];
            if (env is not null && trainedEnv is not null && trainedEnv != env)
                warn($"warning: reward model '{spec}' was trained on {trainedEnv}, not {env}");
            else if (policy is not null && trainedPolicy is not null && !SamePolicy(trainedPolicy, policy))
                warn($"warning: reward model '{spec}' was trained on samples of {trainedPolicy}, not of {policy}: its scores are off the distribution it learned");
        }
        return model;
    }

    // Policy specs compared as written, ignoring case and spaces.
    private static bool SamePolicy(string a, string b) =>
        string.Equals(a.Replace(" ", ""), b.Replace(" ", ""), StringComparison.OrdinalIgnoreCase);
}
