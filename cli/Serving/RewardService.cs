using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sim.Environments;

namespace Sim.Cli.Serving;

/// <summary>
/// Sim's environments as a reward service (<c>sim serve --rewards</c>), an ASP.NET Core minimal API:
/// <c>GET /envs</c> lists the environments with an example problem row each (the schema a request's <c>problem</c>
/// follows); <c>POST /verify</c> takes <c>{env?, problem, steps?, answer?}</c> and returns the verdicts, the process
/// rewards and the outcome reward (<see cref="RowVerifier"/>); <c>POST /verify/batch</c> takes JSONL and answers JSONL,
/// one line per row (a bad row gets an <c>error</c> line and the rest go on). A bad request is a 400 with
/// <c>{"error": ...}</c>, a body over the limit a 413. Code answers run in the code environment's sandbox, as everywhere.
/// </summary>
public static class RewardService
{
    /// <summary>The largest <c>/verify</c> body, in bytes.</summary>
    public const int MaxBody = 1 << 20;

    /// <summary>The largest <c>/verify/batch</c> body, in bytes.</summary>
    public const int MaxBatchBody = 16 << 20;

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Builds the server listening on <paramref name="host"/>:<paramref name="port"/> (0: any free port): the reward
    /// endpoints when <paramref name="rewards"/>, and <paramref name="policy"/> over the OpenAI protocol when given
    /// (<see cref="PolicyService"/>).
    /// </summary>
    public static WebApplication Build(string host, int port, bool rewards = true, Sim.Agents.Policies.IPolicy? policy = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{host}:{port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBatchBody);
        var app = builder.Build();
        long served = 0;
        var clock = Stopwatch.StartNew();
        if (policy is not null) PolicyService.Map(app, policy, "sim");
        if (!rewards) return app;

        app.MapGet("/envs", () => Results.Text(Envs().ToJsonString(Relaxed), "application/json"));
        app.MapGet("/health", () => Results.Text(new JsonObject { ["ok"] = true, ["verified"] = Interlocked.Read(ref served), ["seconds"] = clock.Elapsed.TotalSeconds }.ToJsonString(), "application/json"));

        app.MapPost("/verify", async (HttpRequest request) =>
        {
            var (text, tooLarge) = await ReadBody(request, MaxBody);
            if (tooLarge) return Error(StatusCodes.Status413PayloadTooLarge, $"the body is over {MaxBody} bytes; use /verify/batch for many rows");
            try
            {
                int faults = 0;
                var result = RowVerifier.Verify(text, null, ref faults);
                Interlocked.Increment(ref served);
                return Results.Text(result.ToJsonString(Relaxed), "application/json");
            }
            catch (Exception ex) when (SimApp.IsBadInput(ex)) { return Error(StatusCodes.Status400BadRequest, ex.Message); }
        });

        app.MapPost("/verify/batch", async (HttpRequest request) =>
        {
            var (text, tooLarge) = await ReadBody(request, MaxBatchBody);
            if (tooLarge) return Error(StatusCodes.Status413PayloadTooLarge, $"the body is over {MaxBatchBody} bytes");
            var output = new StringBuilder();
            int row = 0;
            foreach (var raw in text.Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                if (string.IsNullOrWhiteSpace(line)) continue;
                row++;
                JsonObject result;
                try
                {
                    int faults = 0;
                    result = RowVerifier.Verify(line, null, ref faults);
                    Interlocked.Increment(ref served);
                }
                catch (Exception ex) when (SimApp.IsBadInput(ex)) { result = new JsonObject { ["error"] = SimApp.FirstLine(ex.Message) }; }
                var o = new JsonObject { ["row"] = row };
                foreach (var (k, v) in result) o[k] = v?.DeepClone();
                output.Append(o.ToJsonString(Relaxed)).Append('\n');
            }
            if (row == 0) return Error(StatusCodes.Status400BadRequest, "the body holds no rows");
            return Results.Text(output.ToString(), "application/x-ndjson");
        });
        return app;
    }

    private static IResult Error(int status, string message) =>
        Results.Text(new JsonObject { ["error"] = SimApp.FirstLine(message) }.ToJsonString(Relaxed), "application/json", statusCode: status);

    // The body as text, or too large: Content-Length is checked first, then what is read is counted (a chunked body
    // has no length), so an oversized body is refused without being held whole.
    internal static async Task<(string Text, bool TooLarge)> ReadBody(HttpRequest request, int limit)
    {
        if (request.ContentLength > limit) return ("", true);
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[8192];
        var sb = new StringBuilder();
        int n;
        while ((n = await reader.ReadAsync(buffer, 0, buffer.Length)) > 0)
        {
            sb.Append(buffer, 0, n);
            if (sb.Length > limit) return ("", true);
        }
        return (sb.ToString(), false);
    }

    private static JsonArray Envs()
    {
        var list = new JsonArray();
        foreach (var e in EnvironmentRegistry.Default.All)
        {
            list.Add(new JsonObject
            {
                ["name"] = e.Name,
                ["description"] = e.Description,
                ["difficulty"] = new JsonObject { ["min"] = e.Difficulty.Min, ["max"] = e.Difficulty.Max, ["default"] = e.Difficulty.Default },
                ["process_reward"] = new JsonArray(e.ProcessRewardRange.Min, e.ProcessRewardRange.Max),
                ["example_problem"] = JsonNode.Parse(e.Sample(0, e.Difficulty.Default).ToRecord().ToJson()),
            });
        }
        return list;
    }
}
