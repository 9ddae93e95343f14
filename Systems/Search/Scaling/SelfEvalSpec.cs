using Sim.Agents.Policies;
using Sim.Agents.Transformer;

namespace Sim.Systems.Search;

/// <summary>
/// Parses the <c>--self-eval</c> option, the self-evaluator used by <c>--guidance self-eval</c>:
/// <c>simulated[:error=E,tokens=T]</c> (<see cref="SimulatedSelfEvaluator"/>: the truth flipped with probability E,
/// default 0.1; T tokens per judgement, default 2), or <c>transformer[:line]</c> (<see cref="TransformerSelfEvaluator"/>
/// on the <c>--policy transformer:DIR</c> model: the yes/no question, or with <c>line</c> the line's own probability).
/// <c>auto</c> (the default) picks <c>transformer</c> for a transformer policy and <c>simulated</c> otherwise.
/// </summary>
public static class SelfEvalSpec
{
    /// <summary>Makes the self-evaluator named by <paramref name="spec"/> for <paramref name="policy"/>; throws
    /// <see cref="FormatException"/> on a bad spec.</summary>
    public static ISelfEvaluator Parse(string spec, IPolicy policy)
    {
        var (kind, args) = OptionSpec.Split(spec);
        if (kind == "auto") kind = policy is TransformerPolicy ? "transformer" : "simulated";
        if (kind == "transformer")
        {
            if (policy is not TransformerPolicy tp) throw new FormatException("--self-eval transformer needs --policy transformer:DIR");
            string mode = args.Trim().ToLowerInvariant();
            if (mode is not ("" or "line" or "yes-no")) throw new FormatException($"--self-eval transformer takes 'line' or 'yes-no', not '{args}'");
            return new TransformerSelfEvaluator(tp.Lm, lineProbability: mode == "line");
        }
        if (kind != "simulated") throw new FormatException($"unknown self-evaluator '{kind}'; known: auto, simulated[:error=E,tokens=T], transformer[:line]");
        var config = new SimulatedSelfEvalConfig();
        foreach (var (key, value) in OptionSpec.Pairs(args, "self-eval"))
        {
            double x = OptionSpec.Number("self-eval", key, value);
            config = key switch
            {
                "error" or "e" or "eps" => config with { ErrorRate = x },
                "tokens" => x == Math.Floor(x) && x >= 0 && x <= 1_000_000 ? config with { Tokens = (int)x }
                    : throw new FormatException($"self-eval tokens must be an integer in 0..1000000, not '{value}'"),
                _ => throw new FormatException($"unknown self-eval option '{key}'; known: error, tokens"),
            };
        }
        try { return new SimulatedSelfEvaluator(config); }
        catch (ArgumentException e) { throw new FormatException($"--self-eval '{spec}': {e.Message}"); }
    }
}
