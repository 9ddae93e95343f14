using Sim.Agents.Policies;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>What <see cref="PolicyProfile.Run"/> measures.</summary>
/// <param name="Env">The environment.</param>
/// <param name="Difficulty">The problems' difficulty.</param>
/// <param name="Policy">The policy.</param>
/// <param name="Problems">Problems sampled.</param>
/// <param name="Samples">Independent attempts per problem (n of the pass@k estimator; k goes up to it).</param>
/// <param name="Seed">The seed of the problems and the attempts.</param>
/// <param name="MaxDepth">Lines per attempt before it ends unanswered.</param>
public sealed record PolicyProfileSpec(IEnvironment Env, int Difficulty, IPolicy Policy, int Problems = 200, int Samples = 1024, ulong Seed = 1, int MaxDepth = 32);
