using Sim.Agents.Learning;
using Sim.Engine;

namespace Sim.Systems.Learning;

/// <summary>
/// Builds the search → learn loop as a pipeline: one tick rolls out a batch of problems and makes one learning update.
/// <list type="table">
/// <item><term>spawn</term><description><see cref="CurriculumSystem"/> (when set), <see cref="TaskSpawnSystem"/></description></item>
/// <item><term>policy</term><description><see cref="RolloutSystem"/>: the learner writes, the verifiers judge</description></item>
/// <item><term>reward_models</term><description><see cref="LearnedRewardSystem"/>, <see cref="OnlineRewardSystem"/> and <see cref="LengthPenaltySystem"/> (when set)</description></item>
/// <item><term>episodes</term><description><see cref="ExperienceSystem"/>: episodes to the buffer</description></item>
/// <item><term>learning</term><description><see cref="LearningSystem"/>: the algorithm's update; <see cref="OnlineRewardTrainingSystem"/> (when set)</description></item>
/// <item><term>metrics</term><description><see cref="EvaluationSystem"/>: held-out greedy solve rate every N updates</description></item>
/// </list>
/// Resources: <see cref="LearningState"/>, <see cref="ExperienceBuffer"/>, <see cref="LearningLog"/>.
/// </summary>
public static class LearningRun
{
    /// <summary>Sets up <paramref name="world"/>'s resources and returns the pipeline (run it one tick per update).</summary>
    public static Pipeline Build(World world, LearningRunSpec spec)
    {
        if (spec.Algorithm.NeedsValueHead && !spec.Learner.HasValueHead)
            throw new NotSupportedException($"{spec.Algorithm.Name} needs a value head; the {spec.Learner.Name} learner has none");
        if (spec.ProblemsPerTick < 1 || spec.SamplesPerProblem < 1) throw new ArgumentException("problems per tick and samples per problem must be >= 1");
        spec.Env.Difficulty.Check(spec.Difficulty);
        var state = new LearningState(spec)
        {
            HeldOut = LearningProblems.HeldOut(spec.Env, spec.Seed, spec.Difficulty, spec.HeldOut),
            Pool = spec.TrainPool is { } n ? Enumerable.Range(0, n).Select(i => LearningProblems.Train(spec.Env, spec.Seed, spec.Difficulty, i)).ToArray() : null,
            Reference = spec.UseReference ? spec.Learner.Freeze() : null,
        };
        world.Resources.Set(state);
        world.Resources.Set(new ExperienceBuffer(spec.Buffer ?? new BufferConfig()));
        world.Resources.Set(new LearningLog());
        var p = Stages.NewPipeline(world);
        if (spec.Curriculum is { } c) p.Add(Stages.Spawn, new CurriculumSystem(c));
        p.Add(Stages.Spawn, new TaskSpawnSystem());
        p.Add(Stages.Policy, new RolloutSystem());
        if (spec.RewardModel is { } rm) p.Add(Stages.RewardModels, new LearnedRewardSystem(rm));
        if (spec.Online is { } online)
        {
            world.Resources.Set(online);
            p.Add(Stages.RewardModels, new OnlineRewardSystem());
        }
        if (spec.LengthPenalty > 0) p.Add(Stages.RewardModels, new LengthPenaltySystem(spec.LengthPenalty));
        p.Add(Stages.Episodes, new ExperienceSystem());
        p.Add(Stages.Learning, new LearningSystem());
        if (spec.Online is not null) p.Add(Stages.Learning, new OnlineRewardTrainingSystem());
        p.Add(Stages.Metrics, new EvaluationSystem());
        return p;
    }
}
