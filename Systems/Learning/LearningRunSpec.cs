using Sim.Agents.Learning;
using Sim.Environments;

namespace Sim.Systems.Learning;

/// <summary>Everything a learning run needs (see <see cref="LearningRun.Build"/>).</summary>
/// <param name="Env">The environment that verifies steps and answers.</param>
/// <param name="Difficulty">Problem difficulty (the curriculum's starting level when one is set).</param>
/// <param name="Learner">The policy that learns.</param>
/// <param name="Algorithm">The learning algorithm.</param>
/// <param name="Seed">Run seed: training problems, rollouts and minibatch order derive from it.</param>
/// <param name="ProblemsPerTick">Problems rolled out per tick (one learning update per tick).</param>
/// <param name="SamplesPerProblem">Trajectories per problem (a sibling group).</param>
/// <param name="Buffer">On-policy or replay buffer.</param>
/// <param name="TrainPool">When set, training problems cycle through a fixed pool of this many (the tabular policy's
/// task); otherwise every tick draws fresh ones.</param>
/// <param name="HeldOut">Held-out problems for the greedy evaluation (disjoint from training problems).</param>
/// <param name="EvalEvery">Evaluate every this many updates (0 = only at the end, by the caller).</param>
/// <param name="EvalSamples">Samples per held-out problem for pass@k and maj@k at each evaluation (0 = greedy only).</param>
/// <param name="MaxLines">Lines per episode at most.</param>
/// <param name="LengthPenalty">Shaping coefficient: the return loses this much per unit written (0 = off).</param>
/// <param name="Curriculum">Curriculum settings, or null for a fixed difficulty.</param>
/// <param name="UseReference">Keep a frozen copy of the starting policy as the KL/DPO reference.</param>
/// <param name="RewardModel">When set, returns come from this learned reward model instead of the verifier.</param>
/// <param name="Online">When set, a reward model trained online from the run's experience (see <see cref="OnlineRewardModel"/>).</param>
public sealed record LearningRunSpec(
    IEnvironment Env,
    int Difficulty,
    ILearner Learner,
    IRlAlgorithm Algorithm,
    ulong Seed = 1,
    int ProblemsPerTick = 32,
    int SamplesPerProblem = 8,
    BufferConfig? Buffer = null,
    int? TrainPool = null,
    int HeldOut = 200,
    int EvalEvery = 0,
    int EvalSamples = 0,
    int MaxLines = 12,
    double LengthPenalty = 0,
    CurriculumConfig? Curriculum = null,
    bool UseReference = true,
    Sim.Agents.Scoring.INodeScorer? RewardModel = null,
    OnlineRewardModel? Online = null);
