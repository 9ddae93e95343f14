using Sim.Agents.Demonstrators;
using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;
using Sim.Environments.Countdown;

namespace Sim.Agents.Scoring;

/// <summary>
/// Makes labelled trajectories for reward-model training: chain rollouts whose lines come from a
/// <see cref="SimulatedPolicy"/> (mostly on the reference path, with invalid slips) or, with probability
/// <see cref="RandomMoveChance"/>, from a uniformly random valid move (countdown), which is often a dead end. Every line
/// is labelled by the environment's verdicts (see <see cref="LabelledTrajectory.StepValues"/>). When a step reaches the
/// target, the rollout answers with its effective steps (<c>Answer: a; b</c>); when no move is left, it answers
/// <c>no solution</c>.
/// </summary>
public sealed class TrajectoryGenerator(SimulatedPolicy policy, double RandomMoveChance = 0.5, int MaxLines = 10)
{
    /// <summary>The chance that a line is a random valid move instead of the policy's proposal (countdown only).</summary>
    public double RandomMoveChance { get; } = RandomMoveChance;

    /// <summary>Lines per rollout at most.</summary>
    public int MaxLines { get; } = MaxLines;

    /// <summary><paramref name="perProblem"/> rollouts for every problem; deterministic in <paramref name="seed"/>.</summary>
    public List<LabelledTrajectory> Generate(IEnvironment env, IReadOnlyList<Problem> problems, int perProblem, ulong seed)
    {
        var result = new List<LabelledTrajectory>(problems.Count * perProblem);
        var output = new ProposedStep[1];
        for (int pi = 0; pi < problems.Count; pi++)
        {
            var p = problems[pi];
            for (int r = 0; r < perProblem; r++)
            {
                ulong key = (ulong)pi * 1_000_003UL + (ulong)r;
                var rng = new Rng(StableHash.Combine(seed, key));
                var lines = new List<string>();
                var values = new List<float>();
                var effective = new List<string>();
                var state = env.Start(p);
                float outcome = 0;
                bool done = false;
                while (!done && lines.Count < MaxLines)
                {
                    string line;
                    if (p.Spec is CountdownSpec && rng.Chance(RandomMoveChance) && state is CountdownState cs)
                    {
                        var moves = CountdownMoves.Valid(env, p, cs);
                        if (moves.Count == 0) line = StepProtocol.AnswerPrefix + "no solution";
                        else line = moves[rng.NextInt(moves.Count)].Text;
                    }
                    else
                    {
                        policy.Propose([new PolicyContext(env, p, state, lines, key)], 1, output, StableHash.Combine(seed, key + (ulong)lines.Count));
                        line = output[0].Text;
                    }
                    lines.Add(line);
                    switch (StepProtocol.Classify(line))
                    {
                        case StepKind.Thought:
                            values.Add(float.NaN);
                            break;
                        case StepKind.Correction:
                            // A retraction: its value is that of the state it returns to, which was on a solution path
                            // only if every remaining effective step is; label by re-checking is costly, so leave it unlabelled.
                            values.Add(float.NaN);
                            if (effective.Count > 0) effective.RemoveAt(effective.Count - 1);
                            state = Replay(env, p, effective);
                            break;
                        case StepKind.Answer:
                        {
                            bool ok = env.CheckAnswer(p, StepProtocol.AnswerOf(line)).Correct;
                            values.Add(ok ? 1 : 0);
                            outcome = ok ? 1 : 0;
                            done = true;
                            break;
                        }
                        default:
                        {
                            var v = env.CheckStep(p, state, line);
                            values.Add(v.Valid && v.SolvableFromHere == Solvability.Yes ? 1 : 0);
                            if (!v.Valid) break;
                            state = v.State;
                            effective.Add(line);
                            if (v.Terminal)
                            {
                                bool reached = v.Reason == "target reached";
                                string answer = StepProtocol.AnswerPrefix + (reached ? string.Join("; ", effective) : "no solution");
                                bool ok = env.CheckAnswer(p, StepProtocol.AnswerOf(answer)).Correct;
                                lines.Add(answer);
                                values.Add(ok ? 1 : 0);
                                outcome = ok ? 1 : 0;
                                done = true;
                            }
                            break;
                        }
                    }
                }
                result.Add(new LabelledTrajectory(env, p, lines, values.ToArray(), outcome));
            }
        }
        return result;
    }

    private static EnvState Replay(IEnvironment env, Problem p, List<string> steps)
    {
        var s = env.Start(p);
        foreach (var step in steps) s = env.CheckStep(p, s, step).State;
        return s;
    }
}
