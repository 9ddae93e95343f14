using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// <c>environments</c>: on every core, turns each agent's proposals into tree nodes and has the environment verify
/// them: <see cref="IEnvironment.CheckStep"/> for steps (process reward, next state, solvability),
/// <see cref="IEnvironment.CheckAnswer"/> for answers (outcome). Corrections go back to the state before the step they
/// retract; thoughts keep the state. The verdicts are always computed (they are the world's ground truth, used for
/// grading and recording) but charged to the agent's ledger only when its algorithm reads them
/// (<see cref="SearchAlgorithm.UsesVerifier"/>).
/// </summary>
public sealed class StepVerifySystem : ISystem
{
    private static bool Verify(SearchAgent agent)
    {
        if (agent.Requests.Count == 0) return false;
        PolicySystem.Collect(agent);
        var tree = agent.Tree;
        int p = 0;
        foreach (var r in agent.Requests)
        {
            for (int j = 0; j < r.K; j++)
            {
                var prop = agent.Proposed[p++];
                string text = prop.Text ?? "";
                if (r.Merge)
                {
                    int same = tree.FindChild(r.Node, text);
                    if (same >= 0) { tree[same].Prior += 1; continue; }
                }
                int id = tree.AddChild(r.Node, KindOf(prop.Kind), text);
                ref var n = ref tree[id];
                n.LogProb = prop.LogProb;
                n.Confidence = prop.Confidence;
                n.Tokens = prop.Tokens;
                n.Prior = 1;
                if (CheckNode(agent, id) && agent.Algorithm.ReadsVerifier(n.Kind)) agent.Ledger.VerifierCalls++;
                agent.Fresh.Add(id);
            }
        }
        agent.Requests.Clear();
        if (agent.CacheHits + agent.CacheMisses > 0)
        {
            agent.Verdicts?.Count(agent.CacheHits, agent.CacheMisses);
            agent.CacheHits = agent.CacheMisses = 0;
        }
        return true;
    }

    private static readonly Func<string, string> AnswerText = line =>
        line.AsSpan().TrimStart().StartsWith("Answer:", StringComparison.Ordinal) ? StepProtocol.AnswerOf(line) : line.Trim();

    private static NodeKind KindOf(StepKind kind) => kind switch
    {
        StepKind.Answer => NodeKind.Answer,
        StepKind.Thought => NodeKind.Thought,
        StepKind.Correction => NodeKind.Correction,
        _ => NodeKind.Step,
    };

    /// <summary>Verifies node <paramref name="id"/> of the agent's tree in place; returns true when the verifier was called.</summary>
    public static bool CheckNode(SearchAgent agent, int id)
    {
        var tree = agent.Tree;
        ref var n = ref tree[id];
        ref var parent = ref tree[n.Parent];
        bool called = false;
        switch (n.Kind)
        {
            case NodeKind.Step:
            {
                StepVerdict v;
                if (agent.VerdictTable is { } table)
                {
                    v = table.CheckStep(agent.Env, agent.Problem, parent.State, n.PathHash, n.Text, out bool hit);
                    if (hit) agent.CacheHits++; else agent.CacheMisses++;
                }
                else v = agent.Env.CheckStep(agent.Problem, parent.State, n.Text);
                n.Verdict = v.Kind;
                n.Reward = v.ProcessReward;
                n.State = v.State;
                n.Solvable = v.Valid ? v.SolvableFromHere : (parent.Solvable == Solvability.No ? Solvability.No : v.SolvableFromHere);
                called = true;
                break;
            }
            case NodeKind.Answer:
            {
                AnswerVerdict v;
                string text;
                if (agent.VerdictTable is { } table)
                {
                    v = table.CheckAnswerLine(agent.Env, agent.Problem, n.Text, AnswerText, out text, out bool hit);
                    if (hit) agent.CacheHits++; else agent.CacheMisses++;
                }
                else
                {
                    text = AnswerText(n.Text);
                    v = agent.Env.CheckAnswer(agent.Problem, text);
                }
                n.Verdict = v.Kind;
                n.Reward = v.Reward;
                n.Complete = true;
                n.Correct = v.Correct;
                n.Gold = v.GoldReward ?? double.NaN;
                n.AnswerText = text;
                called = true;
                break;
            }
            case NodeKind.Correction:
                n.State = StateBeforeLastStep(tree, n.Parent);
                n.Verdict = VerdictKind.Ok;
                n.Reward = parent.Reward;
                break;
            default:
                n.Verdict = VerdictKind.Ok;
                n.Reward = parent.Reward;
                n.Solvable = parent.Solvable;
                break;
        }
        if (!n.Complete && n.Depth >= agent.MaxDepth)
        {
            // A runaway trajectory ends without an answer.
            n.Complete = true;
            n.Correct = false;
        }
        return called;
    }

    // The state a correction written after node `from` goes back to: the state before the last step line that earlier
    // corrections have not already retracted (the root's state when there is none).
    private static EnvState StateBeforeLastStep(SearchTree tree, int from)
    {
        int skip = 0;
        for (int n = from; n > 0; n = tree[n].Parent)
        {
            switch (tree[n].Kind)
            {
                case NodeKind.Correction: skip++; break;
                case NodeKind.Step when skip > 0: skip--; break;
                case NodeKind.Step: return tree[tree[n].Parent].State;
            }
        }
        return tree[0].State;
    }

    /// <inheritdoc />
    public void Update(in TickContext tick) => AgentParallel.ForTimed(tick.World.Resources.Get<SearchRun>().Agents, Verify);
}
