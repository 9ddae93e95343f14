using Sim.Agents.Demonstrators;
using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Agents.Learning;

/// <summary>
/// Runs episodes of a <see cref="ILearner"/> in an environment, batched: every open episode gets its next step in one
/// <see cref="ILearner.Act"/> call per round. Step lines go to the step verifier (process rewards, the new state); an
/// answer line, or for a learner that <see cref="ILearner.AnswersWithSteps"/> a terminal step, goes to the answer
/// verifier (the outcome). An episode with no answer within <see cref="MaxLines"/> lines, or one the policy ends
/// without an answer, scores 0.
/// </summary>
public sealed class Rollouts(int maxLines = 12)
{
    /// <summary>Lines per episode at most.</summary>
    public int MaxLines { get; } = maxLines;

    /// <summary>One problem to roll out: its sibling group and an optional answer hint (STaR rationalisation).</summary>
    public readonly record struct Task(Problem Problem, int Group, string? Hint = null);

    /// <summary>
    /// Runs <paramref name="samples"/> episodes of every task. Ids are <paramref name="firstId"/>, firstId+1, ... in task
    /// order, then sample order. Each round of steps draws from a stream keyed by (<paramref name="seed"/>,
    /// <paramref name="firstId"/>, round), so the same call gives the same episodes whatever ran before it.
    /// </summary>
    public List<Trajectory> Run(ILearner learner, IEnvironment env, IReadOnlyList<Task> tasks, int samples, bool greedy, ulong seed, long firstId, int policyVersion = 0)
    {
        int n = tasks.Count * samples;
        var open = new OpenEpisode[n];
        var steps = new List<ExperienceStep>[n];
        var rewards = new List<ProcessReward>[n];
        var outcome = new OutcomeReward?[n];
        for (int i = 0; i < n; i++)
        {
            var t = tasks[i / samples];
            string prompt = DemoPrompt.For(env, t.Problem) + (t.Hint is { } h ? $"Hint: {h}\n" : "");
            open[i] = new OpenEpisode(env, t.Problem, prompt, env.Start(t.Problem), []);
            steps[i] = [];
            rewards[i] = [];
        }
        // One stream per round, keyed by the round: a learner draws its rows in order from it, so the same seed and
        // tasks give the same episodes whatever else ran before.
        for (int round = 0; round < MaxLines; round++)
        {
            var live = new List<int>(n);
            for (int i = 0; i < n; i++) if (outcome[i] is null) live.Add(i);
            if (live.Count == 0) break;
            var rng = new Rng(StableHash.Combine(StableHash.Combine(seed, (ulong)firstId), (ulong)round));
            var acted = learner.Act(live.Select(i => open[i]).ToArray(), greedy, ref rng);
            for (int j = 0; j < live.Count; j++)
            {
                int i = live[j];
                var s = acted[j];
                var ep = open[i];
                var lines = new List<string>(ep.Lines) { s.Text };
                if (s.Kind == StepKind.Answer)
                {
                    steps[i].Add(s);
                    rewards[i].Add(new ProcessReward(steps[i].Count - 1, 0, VerdictKind.Ok, RewardSource.Verifier));
                    outcome[i] = Answer(env, ep.Problem, StepProtocol.AnswerOf(s.Text), steps[i].Count - 1);
                    continue;
                }
                if (s.EndsEpisode)
                {
                    // The policy ended the episode without an answer.
                    steps[i].Add(s);
                    rewards[i].Add(new ProcessReward(steps[i].Count - 1, 0, VerdictKind.Malformed, RewardSource.Verifier));
                    outcome[i] = new OutcomeReward(steps[i].Count - 1, 0, VerdictKind.Malformed, RewardSource.Verifier);
                    continue;
                }
                var v = s.Kind == StepKind.Step ? env.CheckStep(ep.Problem, ep.State, s.Text) : new StepVerdict(VerdictKind.Ok, "", 0, ep.State, Solvability.Unknown, false);
                steps[i].Add(s with { Reward = v.ProcessReward, Verdict = v.Kind, Solvable = v.SolvableFromHere });
                rewards[i].Add(new ProcessReward(steps[i].Count - 1, v.ProcessReward, v.Kind, RewardSource.Verifier));
                open[i] = ep with { State = v.Valid ? v.State : ep.State, Lines = lines, Last = s };
                if (learner.AnswersWithSteps && (v.Terminal || !v.Valid))
                    outcome[i] = Answer(env, ep.Problem, string.Join("; ", lines), steps[i].Count - 1);
            }
        }
        var result = new List<Trajectory>(n);
        for (int i = 0; i < n; i++)
        {
            var t = tasks[i / samples];
            var o = outcome[i] ?? new OutcomeReward(Math.Max(0, steps[i].Count - 1), 0, VerdictKind.Malformed, RewardSource.Verifier);
            result.Add(new Trajectory(firstId + i, t.Problem, open[i].Prompt, steps[i], rewards[i], o, policyVersion, t.Group, t.Hint));
        }
        return result;
    }

    private static OutcomeReward Answer(IEnvironment env, Problem problem, string answer, int node)
    {
        var v = env.CheckAnswer(problem, answer);
        return new OutcomeReward(node, v.Correct ? 1 : 0, v.Kind, RewardSource.Verifier, v.Correct);
    }
}
