using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// <c>environments</c>: the one system that connects environments to agents. By parallel query over the agent entities
/// (slices of agents in entity order, each on one core), it takes each agent's proposals from the policy stage, turns
/// them into tree nodes, and has the task's environment verify them: <see cref="IEnvironment.CheckStep"/> for steps,
/// <see cref="IEnvironment.CheckAnswer"/> for answers. The environment's facts (verdict, next state, solvability, the
/// answer's grade) go on the node; its rewards go on the agent as components: a <see cref="ProcessReward"/> per
/// verified step, an <see cref="OutcomeReward"/> per verified answer, with source <see cref="RewardSource.Verifier"/>
/// (<see cref="RewardSource.Judge"/> where the outcome is a proxy with a gold reward beside it). Corrections go back
/// to the state before the step they retract; thoughts keep the state; neither is verified. Verdicts are always
/// computed (they are the world's ground truth, used for grading and recording) but charged to the agent's ledger
/// only when its algorithm reads them (<see cref="SearchAlgorithm.ReadsVerifier"/>).
/// </summary>
public sealed class EnvironmentSystem : ISystem
{
    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(AgentEpisode), typeof(SearchState), typeof(TickWork)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(TreeStore), typeof(ComputeLedger), typeof(TickWork), typeof(ProcessRewards), typeof(OutcomeRewards)];

    private static bool Verify(SearchAgent agent, ProcessRewards process, OutcomeRewards outcome)
    {
        var work = agent.Work;
        if (work.Requests.Count == 0) return false;
        PolicySystem.Collect(agent);
        var tree = agent.Tree;
        var proposed = work.Proposed;
        int p = 0;
        foreach (var r in work.Requests)
        {
            for (int j = 0; j < r.K; j++)
            {
                var prop = proposed[p++];
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
                if (CheckNode(agent, id, process, outcome) && agent.Algorithm.ReadsVerifier(n.Kind)) agent.Ledger.VerifierCalls++;

                work.Fresh.Add(id);
            }
        }
        work.Requests.Clear();
        if (work.CacheHits + work.CacheMisses > 0)
        {
            agent.Run.Verdicts.Count(work.CacheHits, work.CacheMisses);
            work.CacheHits = work.CacheMisses = 0;
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

    /// <summary>
    /// Verifies node <paramref name="id"/> of the agent's tree: writes the environment's facts on the node and its
    /// reward into <paramref name="process"/> or <paramref name="outcome"/>. Returns true when the verifier was called.
    /// </summary>
    public static bool CheckNode(SearchAgent agent, int id, ProcessRewards process, OutcomeRewards outcome)
    {
        var work = agent.Work;
        var tree = agent.Tree;
        ref var n = ref tree[id];
        ref var parent = ref tree[n.Parent];
        bool called = false;
        switch (n.Kind)
        {
            case NodeKind.Step:
            {
                StepVerdict v;
                if (work.VerdictTable is { } table)
                {
                    v = table.CheckStep(agent.Env, agent.Problem, parent.State, n.PathHash, n.Text, out bool hit);
                    if (hit) work.CacheHits++; else work.CacheMisses++;
                }
                else v = EnvironmentGuard.CheckStep(agent.Env, agent.Problem, parent.State, n.Text);
                n.Verdict = v.Kind;
                if (v.Kind == VerdictKind.EnvironmentError) Fault(work, v.Reason);
                process.Add(new ProcessReward(id, v.ProcessReward, v.Kind, RewardSource.Verifier));
                n.State = v.State;
                n.Solvable = v.Valid ? v.SolvableFromHere : (parent.Solvable == Solvability.No ? Solvability.No : v.SolvableFromHere);
                called = true;
                break;
            }
            case NodeKind.Answer:
            {
                AnswerVerdict v;
                string text;
                if (work.VerdictTable is { } table)
                {
                    v = table.CheckAnswerLine(agent.Env, agent.Problem, n.Text, AnswerText, out text, out bool hit);
                    if (hit) work.CacheHits++; else work.CacheMisses++;
                }
                else
                {
                    text = AnswerText(n.Text);
                    v = EnvironmentGuard.CheckAnswer(agent.Env, agent.Problem, text);
                }
                n.Verdict = v.Kind;
                if (v.Kind == VerdictKind.EnvironmentError) Fault(work, v.Reason);
                n.Complete = true;
                n.Correct = v.Correct;
                n.AnswerText = text;
                outcome.Add(new OutcomeReward(id, v.Reward, v.Kind, v.GoldReward is null ? RewardSource.Verifier : RewardSource.Judge,
                    v.Correct, v.GoldReward ?? double.NaN));
                called = true;
                break;
            }
            // Not verified: the node carries its parent's reward, set when the rewards are folded in (SearchRewards).
            case NodeKind.Correction:
                n.State = StateBeforeLastStep(tree, n.Parent);
                n.Verdict = VerdictKind.Ok;
                break;
            default:
                n.Verdict = VerdictKind.Ok;
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

    // The environment's own failure: the node is refuted like any rejected line, the run goes on, and the agent's
    // episode is marked (the episodes stage counts it).
    private static void Fault(AgentWork work, string reason)
    {
        work.EnvironmentErrors++;
        work.EnvironmentError ??= reason;
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
    public void Update(in TickContext tick) => AgentQuery.ForTimed(tick.World, Body);

    private static readonly AgentQuery.Body Body = Verify;
}
