using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using NUnit.Framework;
using Sim.Cli.Serving;
using Sim.Environments;

namespace Sim.Tests.Cli.Serving;

/// <summary>The reward service on a real loopback server: the protocol, bad requests, hostile code and a load run.</summary>
public class RewardServiceTests
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _app = RewardService.Build("127.0.0.1", 0);
        _app.StartAsync().GetAwaiter().GetResult();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _http.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static JsonObject Row(string env, ulong seed, bool withSteps, string? answer = null)
    {
        var e = EnvironmentRegistry.Default.Get(env);
        var p = e.Sample(seed, e.Difficulty.Default);
        var row = new JsonObject { ["problem"] = JsonNode.Parse(p.ToRecord().ToJson()), ["answer"] = answer ?? p.Answer };
        if (withSteps && e.Solve(p) is { } sol) row["steps"] = new JsonArray(sol.Steps.Select(s => (JsonNode)s).ToArray());
        return row;
    }

    private (HttpStatusCode Status, JsonNode? Body) Post(string path, string body)
    {
        using var response = _http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        return (response.StatusCode, path.EndsWith("batch") && response.IsSuccessStatusCode ? null : JsonNode.Parse(text));
    }

    [Test]
    public void VerifyReturnsVerdictsAndRewards()
    {
        var (status, body) = Post("/verify", Row("countdown", 3, withSteps: true).ToJsonString());
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((double)body!["outcome_reward"]!, Is.EqualTo(1));
        Assert.That(body["process_rewards"]!.AsArray().Select(x => (double)x!), Is.Not.Empty.And.All.EqualTo(1.0));
        var (_, wrong) = Post("/verify", Row("arith", 2, withSteps: false, answer: "12345").ToJsonString());
        Assert.That((bool)wrong!["answer"]!["correct"]!, Is.False);
        var envs = JsonNode.Parse(_http.GetStringAsync("/envs").GetAwaiter().GetResult())!.AsArray();
        Assert.That(envs.Select(e => (string)e!["name"]!), Does.Contain("countdown").And.Contain("code"));
        Assert.That(envs.All(e => e!["example_problem"]!["metadata"] is JsonObject), Is.True);
    }

    [Test]
    public void BadRequestsAre400AndOversizedOnes413()
    {
        Assert.That(Post("/verify", "{not json").Status, Is.EqualTo(HttpStatusCode.BadRequest));
        var (status, body) = Post("/verify", "{\"answer\": \"1\"}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string)body!["error"]!, Does.Contain("problem"));
        Assert.That(Post("/verify", new string(' ', RewardService.MaxBody + 10)).Status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(Post("/verify/batch", "").Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public void HostileCodeStaysInTheSandbox()
    {
        var row = Row("code", 1, withSteps: false, answer: "function fizzBuzz(n) { while (true) {} }");
        var (status, body) = Post("/verify", row.ToJsonString());
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string)body!["answer"]!["kind"]!, Is.EqualTo("timeout"));
        Assert.That(_http.GetAsync("/health").GetAwaiter().GetResult().IsSuccessStatusCode, Is.True, "the server is still up");
    }

    [Test]
    public void AThousandMixedRequestsGetNoError()
    {
        // Right and wrong answers with and without steps, on several environments, 8 requests at a time.
        var bodies = Enumerable.Range(0, 1000).Select(i =>
        {
            string env = (i % 4) switch { 0 => "countdown", 1 => "arith", 2 => "linear", _ => "game24" };
            return Row(env, (ulong)i, withSteps: i % 2 == 0, answer: i % 3 == 0 ? "7" : null).ToJsonString();
        }).ToArray();
        int errors = 0;
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(bodies, new ParallelOptions { MaxDegreeOfParallelism = 8 }, body =>
        {
            using var r = _http.PostAsync("/verify", new StringContent(body, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
            if (!r.IsSuccessStatusCode) Interlocked.Increment(ref errors);
        });
        double perSecond = bodies.Length / clock.Elapsed.TotalSeconds;
        TestContext.Out.WriteLine($"reward service: {perSecond:F0} verifications/s over HTTP (1,000 requests, 8 at a time)");
        Assert.That(errors, Is.EqualTo(0));
        // And as one batch: one line per row, in order.
        using var batch = _http.PostAsync("/verify/batch", new StringContent(string.Join("\n", bodies.Take(50)) + "\nnot json\n", Encoding.UTF8, "application/x-ndjson"))
            .GetAwaiter().GetResult();
        var lines = batch.Content.ReadAsStringAsync().GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.That(lines.Select(l => (int)l["row"]!), Is.EqualTo(Enumerable.Range(1, 51)));
        Assert.That(lines[^1]["error"], Is.Not.Null);
    }
}
