using Sim.Agents.Policies;
using Sim.Agents.Transformer;

namespace Sim.Systems.Search;

/// <summary>
/// Parses the <c>--policy</c> option: <c>simulated</c>, or <c>simulated:key=value,...</c> with the keys
/// <c>skill</c> (per-attempt success p), <c>eps</c> (per-line error rate), <c>calibration</c>
/// (<c>calibrated</c>, <c>over</c>, <c>under</c>), <c>strength</c>, <c>concentration</c>, <c>repeat</c>,
/// <c>reflection</c>, <c>verbosity</c>, <c>spread</c>, <c>deadend</c>, <c>format</c>, <c>wrong</c> (the range of wrong answers), and <c>uniform=1</c> (no spread, every
/// mistake a slip) (see <see cref="SimulatedPolicyConfig"/>); or <c>transformer:DIR</c>, a checkpoint
/// written by <c>sim train sft</c>, sampled with temperature 1 (<see cref="TransformerPolicy"/>); or <c>openai:URL[#model]</c>,
/// an OpenAI-compatible chat-completions server (<see cref="OpenAIPolicy"/>).
/// </summary>
public static class PolicySpec
{
    /// <summary>The policy kinds this build can make.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["simulated", "transformer", "openai"];

    /// <summary>Makes the policy named by <paramref name="spec"/>; throws <see cref="FormatException"/> on a bad spec.</summary>
    public static IPolicy Parse(string spec)
    {
        var (kind, args) = OptionSpec.Split(spec);
        if (kind == "transformer")
        {
            if (!Directory.Exists(args)) throw new DirectoryNotFoundException($"--policy transformer:DIR: checkpoint directory '{args}' not found");
            return new TransformerPolicy(TransformerLm.Load(args), new SamplingSettings());
        }
        if (kind == "openai")
        {
            // openai:URL[#model]: any OpenAI-compatible chat-completions server (OpenAIPolicy).
            int hash = args.LastIndexOf('#');
            string url = hash < 0 ? args : args[..hash], model = hash < 0 ? "sim" : args[(hash + 1)..];
            if (url.Length == 0) throw new FormatException("--policy openai:URL[#model] needs the server's URL, e.g. openai:http://127.0.0.1:8077");
            return new OpenAIPolicy(url, model.Length == 0 ? "sim" : model);
        }
        if (kind != "simulated")
            throw new FormatException($"unknown policy '{kind}'; known: {string.Join(", ", Kinds)} (e.g. simulated:skill=0.3)");
        var config = new SimulatedPolicyConfig();
        foreach (var (key, value) in OptionSpec.Pairs(args, "policy"))
        {
            config = key switch
            {
                "skill" or "p" => config with { AttemptSkill = Number(key, value) },
                "eps" or "error" => config with { StepErrorRate = Number(key, value) },
                "calibration" => config with
                {
                    Calibration = value.ToLowerInvariant() switch
                    {
                        "calibrated" => Calibration.Calibrated,
                        "over" or "overconfident" => Calibration.OverConfident,
                        "under" or "underconfident" => Calibration.UnderConfident,
                        _ => throw new FormatException($"calibration must be calibrated, over or under, not '{value}'"),
                    },
                },
                "strength" => config with { MiscalibrationStrength = Number(key, value) },
                "concentration" or "conc" => config with { ConfidenceConcentration = Number(key, value) },
                "repeat" => config with { Repeat = Number(key, value) },
                "reflection" => config with { Reflection = Number(key, value) },
                "verbosity" => config with { Verbosity = Number(key, value) },
                "spread" => config with { Spread = Number(key, value) },
                "deadend" or "dead-end" => config with { DeadEnd = Number(key, value) },
                "format" => config with { FormatError = Number(key, value) },
                "wrong" or "wrong-answers" => config with { WrongAnswers = (int)Math.Clamp(Number(key, value), -1, 2_000_000) },
                "uniform" => Number(key, value) != 0 ? config.Uniform() : config,
                _ => throw new FormatException($"unknown simulated-policy option '{key}'; known: skill, eps, calibration, strength, concentration, repeat, reflection, verbosity, spread, deadend, format, wrong, uniform"),
            };
        }
        try { return new SimulatedPolicy(config); }
        catch (ArgumentException e) { throw new FormatException($"policy '{spec}': {e.Message}"); }
    }

    private static double Number(string key, string value) => OptionSpec.Number("policy", key, value);
}
