using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sim.Agents.Policies;
using Sim.Environments;

namespace Sim.Cli.Serving;

/// <summary>
/// A Sim policy over the OpenAI protocol (<c>sim serve --policy SPEC</c>): <c>GET /v1/models</c>,
/// <c>POST /v1/chat/completions</c> and the legacy <c>POST /v1/completions</c>, with log-probabilities and token usage. The simulated policy needs the context a
/// reasoning task gives it (its problem, the trace so far, the sample's key): requests carry them in <c>metadata</c>
/// (<c>sim_env</c>, <c>sim_problem</c>, <c>sim_lines</c>, <c>sim_key</c>, <c>sim_seed</c>, <c>sim_k</c>,
/// <c>sim_index</c>), as <see cref="OpenAIPolicy"/> sends them, so a run through the server proposes exactly what the
/// policy proposes in process. A request without them is a 400 that says so.
/// </summary>
public static class PolicyService
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Adds the endpoints serving <paramref name="policy"/> as model <paramref name="model"/> to <paramref name="app"/>.</summary>
    public static void Map(WebApplication app, IPolicy policy, string model)
    {
        long counter = 0;
        app.MapGet("/v1/models", () => Results.Text(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(new JsonObject { ["id"] = model, ["object"] = "model", ["owned_by"] = "sim" }),
        }.ToJsonString(), "application/json"));

        app.MapPost("/v1/chat/completions", (HttpRequest request) => Complete(request, policy, model, chat: true, () => Interlocked.Increment(ref counter)));
        app.MapPost("/v1/completions", (HttpRequest request) => Complete(request, policy, model, chat: false, () => Interlocked.Increment(ref counter)));
    }

    // One completion: the chat form answers a message, the legacy form a text; both carry Sim's context in metadata.
    private static async Task<IResult> Complete(HttpRequest request, IPolicy policy, string model, bool chat, Func<long> next)
    {
        {
            // Stops reading at the limit, rather than taking in the whole body first.
            var (body, tooLarge) = await RewardService.ReadBody(request, RewardService.MaxBody);
            if (tooLarge) return Error(StatusCodes.Status413PayloadTooLarge, $"the body is over {RewardService.MaxBody} bytes");
            try
            {
                var o = JsonNode.Parse(body) as JsonObject ?? throw new InvalidDataException("the body must be a JSON object");
                var meta = o["metadata"] as JsonObject
                    ?? throw new InvalidDataException("this server answers Sim's requests: give metadata sim_env, sim_problem, sim_lines, sim_key, sim_seed (as 'sim run --policy openai:URL' sends)");
                string Get(string key) => meta[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new InvalidDataException(meta.ContainsKey(key) ? $"metadata \"{key}\" must be a string" : $"metadata lacks \"{key}\"");
                var env = EnvironmentRegistry.Default.Get(Get("sim_env"));
                var problem = env.Load(ProblemRecord.Parse(Get("sim_problem")));
                var lines = JsonSerializer.Deserialize<string[]>(Get("sim_lines")) ?? [];
                ulong key = ulong.Parse(Get("sim_key"), System.Globalization.CultureInfo.InvariantCulture);
                ulong seed = ulong.Parse(Get("sim_seed"), System.Globalization.CultureInfo.InvariantCulture);
                int k = meta.ContainsKey("sim_k") ? int.Parse(Get("sim_k"), System.Globalization.CultureInfo.InvariantCulture) : 1;
                int index = meta.ContainsKey("sim_index") ? int.Parse(Get("sim_index"), System.Globalization.CultureInfo.InvariantCulture) : 0;
                if (k < 1 || k > 64 || index < 0 || index >= k) throw new InvalidDataException("sim_k must be in 1..64 and sim_index in 0..sim_k-1");
                // The same call the search makes in process: K samples of this context with this seed; this request's one.
                var output = new ProposedStep[k];
                policy.Propose([new PolicyContext(env, problem, env.Start(problem), lines, key)], k, output, seed);
                var step = output[index];
                string text = step.Text ?? "";
                var response = new JsonObject
                {
                    ["id"] = $"{(chat ? "chatcmpl" : "cmpl")}-sim-{next()}",
                    ["object"] = chat ? "chat.completion" : "text_completion",
                    ["created"] = 0,
                    ["model"] = model,
                    // The whole line as one token: its log-probability is the line's.
                    ["choices"] = new JsonArray(chat
                        ? new JsonObject
                        {
                            ["index"] = 0,
                            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
                            ["logprobs"] = new JsonObject
                            {
                                ["content"] = new JsonArray(new JsonObject { ["token"] = text, ["logprob"] = step.LogProb, ["bytes"] = null, ["top_logprobs"] = new JsonArray() }),
                            },
                            ["finish_reason"] = "stop",
                        }
                        : new JsonObject
                        {
                            ["index"] = 0,
                            ["text"] = text,
                            ["logprobs"] = new JsonObject { ["tokens"] = new JsonArray(text), ["token_logprobs"] = new JsonArray(step.LogProb) },
                            ["finish_reason"] = "stop",
                        }),
                    ["usage"] = new JsonObject { ["prompt_tokens"] = 0, ["completion_tokens"] = step.Tokens, ["total_tokens"] = step.Tokens },
                };
                return Results.Text(response.ToJsonString(Relaxed), "application/json");
            }
            catch (Exception ex) when (SimApp.IsBadInput(ex) || ex is OverflowException)
            {
                return Error(StatusCodes.Status400BadRequest, ex.Message);
            }
        }
    }

    private static IResult Error(int status, string message) =>
        Results.Text(new JsonObject { ["error"] = new JsonObject { ["message"] = SimApp.FirstLine(message), ["type"] = "invalid_request_error" } }.ToJsonString(Relaxed),
            "application/json", statusCode: status);
}
