using System.Text.Json.Nodes;

namespace Sim.Environments;

/// <summary>
/// One task instance: the prompt an agent sees, the parameters, and the hidden ground truth. Made by
/// <see cref="IEnvironment.Sample"/> or <see cref="IEnvironment.Load"/>; immutable and safe to share between threads.
/// </summary>
public sealed class Problem
{
    /// <summary>Makes a problem. Environments call this; <paramref name="spec"/> is their parsed form of the parameters.</summary>
    public Problem(string env, string id, string question, string answer, int difficulty, ulong? seed, JsonObject parameters, object spec)
    {
        Env = env;
        Id = id;
        Question = question;
        Answer = answer;
        Difficulty = difficulty;
        Seed = seed;
        Parameters = parameters;
        Spec = spec;
    }

    /// <summary>The name of the environment that made it.</summary>
    public string Env { get; }

    /// <summary>A stable identifier.</summary>
    public string Id { get; }

    /// <summary>The prompt text.</summary>
    public string Question { get; }

    /// <summary>The hidden ground truth: one correct final answer (agents never read it).</summary>
    public string Answer { get; }

    /// <summary>The difficulty it was generated at (or read from the file's metadata; 0 when unknown).</summary>
    public int Difficulty { get; }

    /// <summary>The seed it was generated from; null for a problem loaded from a file without one.</summary>
    public ulong? Seed { get; }

    /// <summary>The environment's parameters (numbers, target, rules...) as JSON; they go to <c>metadata</c>.</summary>
    public JsonObject Parameters { get; }

    /// <summary>The environment's typed, parsed form of <see cref="Parameters"/>, used by its verifiers.</summary>
    public object Spec { get; }

    /// <summary>The reasoning-gym row: metadata holds <c>env</c>, <c>difficulty</c>, <c>seed</c> and the parameters.</summary>
    public ProblemRecord ToRecord()
    {
        var meta = new JsonObject { ["env"] = Env, ["difficulty"] = Difficulty };
        if (Seed is { } s) meta["seed"] = s;
        foreach (var (k, v) in Parameters) meta[k] = v?.DeepClone();
        return new ProblemRecord(Id, Question, Answer, meta);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Id}: {Question}";
}
