using Sim.Agents.Policies;
using Sim.Environments;

namespace Sim.Agents.Evaluation;

/// <summary>What <see cref="SampleEval.Run"/> measures.</summary>
/// <param name="Env">The environment that checks every line and answer.</param>
/// <param name="Problems">The problems (e.g. a <see cref="Training.HeldOutSplit"/>).</param>
/// <param name="Policy">The policy, sampled at its own temperature.</param>
/// <param name="Ks">The k of pass@k and maj@k, each >= 1; every problem gets max(k) attempts.</param>
/// <param name="Seed">The seed of the attempts (<see cref="EpisodeSampler"/>).</param>
/// <param name="MaxDepth">Lines per attempt before it ends unanswered.</param>
public sealed record SampleEvalSpec(IEnvironment Env, IReadOnlyList<Problem> Problems, IPolicy Policy, IReadOnlyList<int> Ks, ulong Seed, int MaxDepth = 32);
