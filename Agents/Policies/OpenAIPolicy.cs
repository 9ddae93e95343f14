using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Sim.Agents.Demonstrators;

namespace Sim.Agents.Policies;

/// <summary>
/// A policy behind any OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp's server, Ollama, SGLang, or
/// <c>sim serve --policy</c>), through the official <c>OpenAI</c> .NET client. One tick's batch becomes concurrent
/// requests (at most <see cref="Concurrency"/> in flight), one per wanted sample: the prompt is Sim's demonstration
/// prompt and the trace so far, generation stops at the end of the line, log-probabilities are requested and summed into
/// the line's log-probability (its exponential is the confidence), and the line's tokens are the server's usage count.
/// When the server's <c>/v1/models</c> says the model is owned by <c>sim</c>, each request also carries Sim's context
/// in <c>metadata</c> (environment, problem row, lines, key, seed, sample index), which <c>sim serve</c> uses to answer
/// exactly as the policy would in process; other servers get plain requests (OpenAI's own API limits metadata values to
/// 512 characters, which a problem row can exceed). The
/// API key comes from <c>OPENAI_API_KEY</c> and is never logged or recorded. A request that fails after the client's
/// retries (timeouts, a server that went away) becomes an empty line, which the environment rejects, and is counted in
/// <see cref="Errors"/> with the first message in <see cref="FirstError"/>: the run goes on and says so.
/// </summary>
public sealed class OpenAIPolicy : IPolicy
{
    private readonly ChatClient _client;
    private readonly OpenAI.Models.OpenAIModelClient _models;
    private int _simServer; // 0 unknown, 1 a Sim server, 2 another server
    private long _errors;
    private long _withoutLogProbs;
    private string? _firstError;

    /// <summary>Requests in flight at most.</summary>
    public int Concurrency { get; }

    /// <summary>Makes a policy for the server at <paramref name="baseUrl"/> (e.g. <c>http://127.0.0.1:8077</c>; <c>/v1</c> is added
    /// unless present) and <paramref name="model"/>.</summary>
    public OpenAIPolicy(string baseUrl, string model, int concurrency = 16, TimeSpan? timeout = null, int retries = 2)
    {
        if (!Uri.TryCreate(baseUrl.TrimEnd('/').EndsWith("/v1", StringComparison.Ordinal) ? baseUrl.TrimEnd('/') : baseUrl.TrimEnd('/') + "/v1", UriKind.Absolute, out var endpoint)
            || endpoint.Scheme is not ("http" or "https"))
            throw new FormatException($"--policy openai:URL needs an http(s) URL, not '{baseUrl}'");
        Concurrency = Math.Max(1, concurrency);
        Model = model;
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            NetworkTimeout = timeout ?? TimeSpan.FromSeconds(30),
            RetryPolicy = new ClientRetryPolicy(retries),
        };
        string key = Environment.GetEnvironmentVariable("OPENAI_API_KEY") is { Length: > 0 } k ? k : "none";
        _client = new ChatClient(model, new ApiKeyCredential(key), options);
        _models = new OpenAI.Models.OpenAIModelClient(new ApiKeyCredential(key), options);
    }

    /// <summary>The model name sent with every request.</summary>
    public string Model { get; }

    /// <inheritdoc />
    public string Name => $"openai:{Model}";

    /// <summary>Requests that failed after retries.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Lines the server answered without log-probabilities (their confidence is 1: nothing to tell them apart).</summary>
    public long WithoutLogProbs => Interlocked.Read(ref _withoutLogProbs);

    /// <summary>The first failure's message (no key in it), or null.</summary>
    public string? FirstError => Volatile.Read(ref _firstError);

    /// <inheritdoc />
    public void Propose(IReadOnlyList<PolicyContext> contexts, int k, ProposedStep[] output, ulong seed)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "k must be >= 1");
        if (output.Length < contexts.Count * k) throw new ArgumentException($"output needs {contexts.Count * k} slots");
        bool sim = IsSimServer();
        // Each slot's request is a pure function of its context, seed and index, so the results do not depend on the
        // order the server answers in.
        Parallel.For(0, contexts.Count * k, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, slot =>
            output[slot] = Request(contexts[slot / k], k, slot % k, seed, sim));
    }

    // Asks /v1/models once whether the server is Sim's own. A server that cannot be reached is asked again on the next
    // batch (its requests fail meanwhile anyway); one that answers without the listing is not Sim's.
    private bool IsSimServer()
    {
        int known = Volatile.Read(ref _simServer);
        if (known != 0) return known == 1;
        try
        {
            known = _models.GetModels().Value.Any(m => m.OwnedBy == "sim") ? 1 : 2;
        }
        catch (ClientResultException ex) when (ex.Status is >= 400 and < 500)
        {
            known = 2; // a server that answers, without the listing: not Sim's
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
        Volatile.Write(ref _simServer, known);
        return known == 1;
    }

    private ProposedStep Request(in PolicyContext ctx, int k, int index, ulong seed, bool sim)
    {
        string prompt = DemoPrompt.For(ctx.Env, ctx.Problem) + string.Concat(ctx.Lines.Select(l => l + "\n"));
        var options = new ChatCompletionOptions
        {
            MaxOutputTokenCount = 256,
            IncludeLogProbabilities = true,
        };
        options.StopSequences.Add("\n");
        if (sim)
        {
            options.Metadata["sim_env"] = ctx.Env.Name;
            options.Metadata["sim_problem"] = ctx.Problem.ToRecord().ToJson();
            options.Metadata["sim_lines"] = JsonSerializer.Serialize(ctx.Lines);
            options.Metadata["sim_key"] = ctx.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            options.Metadata["sim_seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
            options.Metadata["sim_k"] = k.ToString(System.Globalization.CultureInfo.InvariantCulture);
            options.Metadata["sim_index"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        try
        {
            ChatCompletion completion = _client.CompleteChat([ChatMessage.CreateUserMessage(prompt)], options);
            string text = completion.Content.Count > 0 ? completion.Content[0].Text ?? "" : "";
            text = text.Split('\n')[0];
            if (completion.ContentTokenLogProbabilities.Count == 0 && text.Length > 0) Interlocked.Increment(ref _withoutLogProbs);
            double logp = completion.ContentTokenLogProbabilities.Sum(t => (double)t.LogProbability);
            int tokens = completion.Usage?.OutputTokenCount ?? 0;
            return new ProposedStep(text, StepProtocol.Classify(text), logp, Math.Clamp(Math.Exp(logp), 0, 1), tokens);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The client's retries are spent (it reports them as an AggregateException of the tries): name the first cause.
            var cause = ex is AggregateException { InnerExceptions.Count: > 0 } ag ? ag.InnerExceptions[0] : ex;
            Interlocked.Increment(ref _errors);
            Interlocked.CompareExchange(ref _firstError, Describe(cause), null);
            return new ProposedStep("", StepKind.Step, Math.Log(1e-12), 0, 0);
        }
    }

    // One line: an HTTP failure's status and the server's own error message (the client's message is only the status),
    // anything else its type and first line. Neither holds the key: it travels in a header, never in a body.
    private static string Describe(Exception ex)
    {
        if (ex is ClientResultException http && http.GetRawResponse() is { } response)
        {
            string detail = "";
            try
            {
                var body = JsonNode.Parse(response.Content.ToString());
                detail = body?["error"]?["message"]?.GetValue<string>() ?? body?["error"]?.ToString() ?? "";
            }
            catch (Exception parse) when (parse is JsonException or InvalidOperationException or FormatException)
            {
                detail = response.Content.ToString();
            }
            detail = detail.Split('\n')[0];
            if (detail.Length > 200) detail = detail[..200] + "...";
            return $"HTTP {http.Status}{(detail.Length > 0 ? ": " + detail : "")}";
        }
        return $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
    }
}
