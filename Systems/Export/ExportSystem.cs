using Sim.Agents.Demonstrators;
using Sim.Engine;
using Sim.Environments;
using Sim.Systems.Search;

namespace Sim.Systems.Export;

/// <summary>
/// A <c>search.backup</c>-stage system (after the search's backup) that turns every episode finished this tick into
/// training data, by query over the agents and their trees, in entity order: TRL SFT rows from solved episodes, TRL KTO
/// rows from every answered episode, TRL DPO
/// pairs from sibling lines of a solved episode's tree (the chosen one on the committed path, the rejected one refuted),
/// step-wise PRM rows from every complete trajectory of the tree, and reasoning-gym rows of the problems. It reads only
/// components and the tree store: the search knows nothing of it.
/// </summary>
public sealed class ExportSystem : ISystem
{
    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(AgentEpisode), typeof(TreeHandle), typeof(TreeStore)];

    /// <summary>Solved episodes' prompt and committed trajectory.</summary>
    public List<SftRow> Sft { get; } = new();

    /// <summary>Every answered episode's committed trajectory, labelled by its verdict.</summary>
    public List<KtoRow> Kto { get; } = new();

    /// <summary>Verified-versus-refuted sibling pairs.</summary>
    public List<DpoRow> Dpo { get; } = new();

    /// <summary>Complete trajectories with per-line labels.</summary>
    public List<PrmRow> Prm { get; } = new();

    /// <summary>The problems of the finished episodes.</summary>
    public List<GymRow> Gym { get; } = new();

    private static readonly QueryDescription Agents = new QueryDescription().WithAll<AgentEpisode, TreeHandle>();

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var world = tick.World;
        var trees = world.Resources.Get<TreeStore>();
        var env = world.Resources.Get<SearchRun>().Env;
        world.Query(Agents, (ref AgentEpisode e, ref TreeHandle h) =>
        {
            if (e.Status != EpisodeStatus.Finished || e.Problem is not { } problem) return;
            var tree = trees[h];
            string prompt = DemoPrompt.For(env, problem);
            var record = problem.ToRecord();
            Gym.Add(new GymRow { Id = problem.Id, Question = problem.Question, Answer = problem.Answer, Metadata = record.Metadata.ToJsonString() });
            // Node 0 is the problem itself, so an answered episode's final node is above it.
            string? completion = e.FinalNode > 0 ? string.Join("\n", tree.Lines(e.FinalNode)) + "\n" : null;
            if (completion is not null)
                Kto.Add(new KtoRow { Prompt = prompt, Completion = completion, Label = e.Solved, Reward = e.Reward });
            if (e.Solved && completion is not null)
            {
                Sft.Add(new SftRow { Prompt = prompt, Completion = completion });
                // Along the committed path: every refuted sibling of a path node makes a pair with it.
                for (int n = e.FinalNode; n > 0; n = tree[n].Parent)
                {
                    int parent = tree[n].Parent;
                    string prefix = prompt + string.Concat(tree.Lines(parent).Select(l => l + "\n"));
                    for (int c = tree[parent].FirstChild; c >= 0; c = tree[c].NextSibling)
                        if (c != n && tree[c].Verdict is not (VerdictKind.Ok or VerdictKind.EnvironmentError) && tree[c].Text != tree[n].Text)
                            Dpo.Add(new DpoRow { Prompt = prefix, Chosen = tree[n].Text, Rejected = tree[c].Text });
                }
            }
            // Every complete trajectory of the tree, labelled line by line with the environment's exact verdicts.
            for (int leaf = 1; leaf < tree.Count; leaf++)
            {
                if (!tree[leaf].Complete) continue;
                var path = new List<int>();
                for (int n = leaf; n > 0; n = tree[n].Parent) path.Add(n);
                path.Reverse();
                Prm.Add(new PrmRow
                {
                    Prompt = prompt,
                    Completions = path.Select(n => tree[n].Text).ToList(),
                    Labels = path.Select(n => Label(tree, n)).ToList(),
                });
            }
        });
    }

    // Exact: a correct answer; a valid step after which the task is still solvable; thoughts and corrections as the
    // line they follow.
    private static bool Label(SearchTree tree, int n)
    {
        ref var node = ref tree[n];
        if (node.Kind == NodeKind.Answer) return node.Correct;
        return node.Verdict == VerdictKind.Ok && node.Solvable != Solvability.No;
    }
}
