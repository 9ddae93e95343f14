using Sim.Engine;
using Sim.Environments;
using Sim.Systems;
using Sim.Systems.Search;

namespace Sim.Tests.Systems.Examples;

/// <summary>A shaping reward: each verified step costs 0.01 per token of its line, so searches guided by the
/// verifier's process rewards prefer short steps.</summary>
[RunsIn("reward_models")] // after the environments have written this tick's rewards
public sealed class LengthPenalty : ISystem
{
    public double PerToken { get; init; } = 0.01;

    public IReadOnlyList<Type> Reads { get; } = [typeof(ProcessRewards), typeof(TreeHandle), typeof(TreeStore)];
    public IReadOnlyList<Type> Writes { get; } = [typeof(ProcessRewards)];

    private static readonly QueryDescription Agents = new QueryDescription().WithAll<ProcessRewards, TreeHandle>();

    public void Update(in TickContext tick)
    {
        var trees = tick.World.Resources.Get<TreeStore>();
        double perToken = PerToken;
        tick.World.Query(Agents, (ref ProcessRewards rewards, ref TreeHandle handle) =>
        {
            var tree = trees[handle];
            int given = rewards.Items.Count; // only the rewards given before this system ran
            for (int i = 0; i < given; i++)
            {
                var r = rewards.Items[i];
                if (r.Source != RewardSource.Verifier) continue;
                rewards.Add(new ProcessReward(r.Node, -perToken * tree[r.Node].Tokens, VerdictKind.Ok, RewardSource.Shaping));
            }
        });
    }
}
