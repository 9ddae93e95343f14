using System.Text.Json;
using System.Text.Json.Nodes;
using Sim.Agents.Learning;
using Sim.Engine;

namespace Sim.Systems.Learning;

/// <summary>
/// Checkpoints of a learning run, taken between ticks: the learner (parameters and optimiser state), the run's
/// counters (tick, policy version, next episode id, difficulty), the curriculum's recent outcomes, the algorithm's own
/// state and the log. Every stream of the run is keyed by those counters, so they are the random state. Each
/// checkpoint goes to its own folder and <c>latest</c> is switched to it by an atomic rename only once it is
/// complete, so a process killed mid-save leaves the previous checkpoint intact. The starting policy is kept in
/// <c>init/</c> (the KL/DPO reference on resume). Only an on-policy buffer, empty between ticks, is supported.
/// </summary>
public static class LearningCheckpoint
{
    private const int Format = 1;

    // Figures may be NaN (an undefined statistic); keep them rather than fail the save.
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Saves the starting policy (once, before the first tick).</summary>
    public static void SaveInit(string dir, ILearner learner)
    {
        string init = Path.Combine(dir, "init");
        if (Directory.Exists(init)) return;
        string tmp = init + ".tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        learner.Save(tmp);
        Directory.Move(tmp, init);
    }

    /// <summary>Saves a checkpoint of <paramref name="world"/>'s learning run into <paramref name="dir"/>.</summary>
    public static void Save(string dir, World world)
    {
        var r = world.Resources;
        var state = r.Get<LearningState>();
        var buffer = r.Get<ExperienceBuffer>();
        if (buffer.Count > 0) throw new InvalidOperationException("checkpoints are taken with an empty (on-policy) buffer");
        string name = $"ckpt-{state.Tick:D8}";
        string slot = Path.Combine(dir, name);
        if (Directory.Exists(slot)) Directory.Delete(slot, true);
        state.Spec.Learner.Save(Path.Combine(slot, "learner"));
        var log = r.Get<LearningLog>();
        var json = new JsonObject
        {
            ["format"] = Format,
            ["tick"] = state.Tick,
            ["policy_version"] = state.PolicyVersion,
            ["next_episode_id"] = state.NextEpisodeId,
            ["difficulty"] = state.Difficulty,
            ["episodes_buffered"] = log.EpisodesBuffered,
            ["recent"] = new JsonObject(state.Recent.Select(kv => KeyValuePair.Create(kv.Key.ToString(), (JsonNode?)new JsonArray(kv.Value.Select(x => (JsonNode?)x).ToArray())))),
            ["algorithm"] = (state.Spec.Algorithm as IAlgorithmState)?.SaveState(),
            ["log"] = JsonSerializer.SerializeToNode(new LogFile(log.Updates, log.Evals, log.Levels), Options),
            ["weights_hash"] = state.Spec.Learner.WeightsHash(),
        };
        File.WriteAllText(Path.Combine(slot, "state.json"), json.ToJsonString());
        // Switch "latest" atomically, then drop older slots.
        string pointer = Path.Combine(dir, "latest");
        File.WriteAllText(pointer + ".tmp", name);
        File.Move(pointer + ".tmp", pointer, overwrite: true);
        foreach (var old in Directory.GetDirectories(dir, "ckpt-*"))
            if (Path.GetFileName(old) != name) Directory.Delete(old, true);
    }

    /// <summary>Whether <paramref name="dir"/> holds a checkpoint to resume from.</summary>
    public static bool Exists(string dir) => File.Exists(Path.Combine(dir, "latest"));

    /// <summary>
    /// Restores the latest checkpoint into a world set up by <see cref="LearningRun.Build"/> with the same spec.
    /// Throws <see cref="InvalidDataException"/> when the checkpoint is missing, corrupt or of another architecture.
    /// </summary>
    public static void Restore(string dir, World world)
    {
        var r = world.Resources;
        var state = r.Get<LearningState>();
        string pointer = Path.Combine(dir, "latest");
        if (!File.Exists(pointer)) throw new InvalidDataException($"{dir} holds no checkpoint (no 'latest')");
        string slot = Path.Combine(dir, File.ReadAllText(pointer).Trim());
        if (Directory.Exists(Path.Combine(dir, "init")) && state.Spec.UseReference)
        {
            // The reference is the starting policy: rebuild it from init/ (the learner itself is loaded below).
            state.Spec.Learner.Load(Path.Combine(dir, "init"));
            state.Reference?.Dispose();
            state.Reference = state.Spec.Learner.Freeze();
        }
        state.Spec.Learner.Load(Path.Combine(slot, "learner"));
        JsonObject json;
        try { json = JsonNode.Parse(File.ReadAllText(Path.Combine(slot, "state.json"))) as JsonObject ?? throw new InvalidDataException("state.json is not an object"); }
        catch (JsonException e) { throw new InvalidDataException($"{slot}/state.json: {e.Message}"); }
        if ((int?)json["format"] != Format) throw new InvalidDataException($"{slot}/state.json: unknown format {json["format"]}");
        state.Tick = (long)json["tick"]!;
        state.PolicyVersion = (int)json["policy_version"]!;
        state.NextEpisodeId = (long)json["next_episode_id"]!;
        state.Difficulty = (int)json["difficulty"]!;
        state.Recent.Clear();
        foreach (var (k, v) in (JsonObject)json["recent"]!) state.Recent[int.Parse(k)] = new Queue<bool>(((JsonArray)v!).Select(x => (bool)x!));
        if (json["algorithm"] is { } a && state.Spec.Algorithm is IAlgorithmState s) s.LoadState(a);
        var log = r.Get<LearningLog>();
        var file = json["log"].Deserialize<LogFile>(Options) ?? throw new InvalidDataException("state.json: no log");
        log.Updates.Clear(); log.Updates.AddRange(file.Updates);
        log.Evals.Clear(); log.Evals.AddRange(file.Evals);
        log.Levels.Clear(); log.Levels.AddRange(file.Levels);
        log.EpisodesBuffered = (long)json["episodes_buffered"]!;
    }

    private sealed record LogFile(List<UpdateRecord> Updates, List<EvalRecord> Evals, List<int> Levels);
}
