namespace Sim.Environments.Code;

/// <summary>
/// A function spec: the function's name, what it must do, its signature, visible examples and hidden tests, and a
/// reference solution (the ground truth; hidden tests' expected values come from it).
/// </summary>
/// <param name="Id">A stable identifier, e.g. <c>sum-array</c> or <c>poly-3f2a</c>.</param>
/// <param name="Difficulty">1 (a one-liner) to 5 (an algorithm).</param>
/// <param name="Function">The name the submission must define.</param>
/// <param name="Signature">e.g. <c>sumArray(nums: number[]): number</c>.</param>
/// <param name="Description">What the function returns.</param>
/// <param name="Examples">Tests shown in the prompt.</param>
/// <param name="Tests">Hidden tests: all of them must pass for outcome 1.</param>
/// <param name="Reference">A correct JavaScript solution.</param>
public sealed record CodeTask(
    string Id,
    int Difficulty,
    string Function,
    string Signature,
    string Description,
    IReadOnlyList<CodeTest> Examples,
    IReadOnlyList<CodeTest> Tests,
    string Reference)
{
    /// <summary>The prompt: description, signature and examples.</summary>
    public string Prompt()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("Write a JavaScript function ").Append(Signature).Append(". ").Append(Description).Append('\n');
        foreach (var e in Examples)
            sb.Append("Example: ").Append(Function).Append('(').Append(e.ArgsJson.AsSpan(1, e.ArgsJson.Length - 2)).Append(") returns ").Append(e.ExpectedJson).Append('\n');
        sb.Append("Answer with the complete function in plain JavaScript (strict mode; no eval, no imports).");
        return sb.ToString();
    }
}
