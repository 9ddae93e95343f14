using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Agents.Scoring;

/// <summary>
/// Makes reward-model training data from the policy that will be searched: independent chain rollouts of it (the
/// samples a best-of-N or a beam search would judge), labelled by the environment. Outcome labels are exact (the answer
/// verifier); step labels are exact or Monte-Carlo (<see cref="StepLabels"/>). Training on these, rather than on
/// another generator's trajectories, keeps the reward model on the distribution it will judge. Deterministic in the seed.
/// </summary>
/// <param name="policy">The policy to sample.</param>
/// <param name="labels">How steps are labelled.</param>
/// <param name="completions">Completions per step for Monte-Carlo labels.</param>
/// <param name="maxLines">Lines per trajectory at most.</param>
public sealed class PolicySampler(IPolicy policy, StepLabels labels = StepLabels.Exact, int completions = 4, int maxLines = 16)
{
    /// <summary><paramref name="perProblem"/> labelled rollouts for every problem.</summary>
    public List<LabelledTrajectory> Generate(IEnvironment env, IReadOnlyList<Problem> problems, int perProblem, ulong seed)
    {
        if (completions < 1) throw new ArgumentException("completions must be >= 1");
        var result = new List<LabelledTrajectory>(problems.Count * perProblem);
        for (int pi = 0; pi < problems.Count; pi++)
        {
            var p = problems[pi];
            for (int r = 0; r < perProblem; r++)
            {
                ulong key = StableHash.Combine(StableHash.Combine(seed, (ulong)pi), (ulong)r);
                var (lines, values, outcome) = Rollout(env, p, [], key, seed);
                if (labels == StepLabels.MonteCarlo)
                {
                    for (int j = 0; j < lines.Count; j++)
                    {
                        if (float.IsNaN(values[j]) || StepProtocol.Classify(lines[j]) == StepKind.Answer) continue;
                        int wins = 0;
                        for (int c = 0; c < completions; c++)
                            if (Rollout(env, p, lines.Take(j + 1).ToList(), StableHash.Combine(key, (ulong)(j * 1_000 + c + 1)), seed).Outcome > 0.5f) wins++;
                        values[j] = wins / (float)completions;
                    }
                }
                result.Add(new LabelledTrajectory(env, p, lines, values.ToArray(), outcome));
            }
        }
        return result;
    }

    // One chain from `prefix`: the policy writes one line at a time until it answers or runs out of lines. Exact labels
    // per line (NaN for thoughts and corrections); the outcome is the answer verifier's.
    private (List<string> Lines, List<float> Values, float Outcome) Rollout(IEnvironment env, Problem p, List<string> prefix, ulong key, ulong seed)
    {
        var lines = new List<string>();
        var values = new List<float>();
        var states = new List<EnvState> { env.Start(p) };
        var output = new ProposedStep[1];
        float outcome = 0;
        foreach (var line in prefix) Apply(env, p, line, lines, values, states, ref outcome);
        while (lines.Count < maxLines && (lines.Count == 0 || StepProtocol.Classify(lines[^1]) != StepKind.Answer))
        {
            policy.Propose([new PolicyContext(env, p, states[^1], lines, key)], 1, output, StableHash.Combine(seed ^ 0x5A3B1E5UL, key + (ulong)lines.Count));
            Apply(env, p, output[0].Text ?? "", lines, values, states, ref outcome);
        }
        return (lines, values, outcome);
    }

    private static void Apply(IEnvironment env, Problem p, string line, List<string> lines, List<float> values, List<EnvState> states, ref float outcome)
    {
        lines.Add(line);
        switch (StepProtocol.Classify(line))
        {
            case StepKind.Thought:
                values.Add(float.NaN);
                break;
            case StepKind.Correction:
                values.Add(float.NaN);
                if (states.Count > 1) states.RemoveAt(states.Count - 1);
                break;
            case StepKind.Answer:
            {
                bool ok = env.CheckAnswer(p, StepProtocol.AnswerOf(line)).Correct;
                values.Add(ok ? 1 : 0);
                outcome = ok ? 1 : 0;
                break;
            }
            default:
            {
                var v = env.CheckStep(p, states[^1], line);
                values.Add(v.Valid && v.SolvableFromHere != Solvability.No ? 1 : 0);
                // A refuted step leaves the state as it was, as in the search's trees.
                states.Add(v.State);
                break;
            }
        }
    }
}
