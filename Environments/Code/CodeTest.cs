namespace Sim.Environments.Code;

/// <summary>One test of a code task: the arguments, as a JSON array, and the expected result, as JSON.</summary>
/// <param name="ArgsJson">The arguments, e.g. <c>[[3, 1, 2]]</c>.</param>
/// <param name="ExpectedJson">The expected return value, e.g. <c>[1, 2, 3]</c>.</param>
public sealed record CodeTest(string ArgsJson, string ExpectedJson);
