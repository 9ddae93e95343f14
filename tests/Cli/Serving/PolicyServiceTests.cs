using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using NUnit.Framework;
using Sim.Agents.Policies;
using Sim.Cli.Serving;
using Sim.Engine;
using Sim.Environments;
using Sim.Systems.Search;

namespace Sim.Tests.Cli.Serving;

/// <summary>A policy over the OpenAI protocol: sim serve on loopback, and a search through the official client against it.</summary>
public class PolicyServiceTests
{
    private WebApplication _app = null!;
    private string _url = "";

    [OneTimeSetUp]
    public void Start()
    {
        _app = RewardService.Build("127.0.0.1", 0, rewards: false, policy: PolicySpec.Parse("simulated:skill=0.3"));
        _app.StartAsync().GetAwaiter().GetResult();
        _url = _app.Urls.First();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static (ulong Hash, SearchMetrics Metrics, double Seconds) Run(IPolicy policy)
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        using var world = World.Create(4);
        var pipeline = ContinuousRun.Build(world, new ContinuousRunSpec(env, 2, policy, null, "mcts", null, 24, RunBudget.Parse("attempts:2"), 4));
        var clock = Stopwatch.StartNew();
        pipeline.Run(25);
        return (world.StateHash(), world.Resources.Get<SearchRun>().Metrics, clock.Elapsed.TotalSeconds);
    }

    [Test]
    public void ASearchThroughTheServerIsTheSearchInProcess()
    {
        var http = new OpenAIPolicy(_url, "sim");
        var served = Run(http);
        var local = Run(PolicySpec.Parse("simulated:skill=0.3"));
        TestContext.Out.WriteLine($"over HTTP: {served.Seconds:F2} s, in process: {local.Seconds:F2} s for 25 ticks of 24 agents ({served.Metrics.Proposals} lines)");
        Assert.That(http.Errors, Is.EqualTo(0), http.FirstError);
        Assert.That(served.Metrics.Episodes, Is.GreaterThan(20));
        Assert.That((served.Metrics.Solved, served.Metrics.Episodes, served.Metrics.Spent.Tokens), Is.EqualTo((local.Metrics.Solved, local.Metrics.Episodes, local.Metrics.Spent.Tokens)),
            "the same proposals, solves and tokens (from the server's usage counts)");
        Assert.That(served.Hash, Is.EqualTo(local.Hash), "the same trees");
    }

    [Test]
    public void AServerThatIsGoneBecomesRecordedErrorsNotACrash()
    {
        var gone = new OpenAIPolicy("http://127.0.0.1:1", "sim", retries: 0, timeout: TimeSpan.FromSeconds(2));
        var run = Run(gone);
        Assert.That(gone.Errors, Is.GreaterThan(0));
        Assert.That(gone.FirstError, Does.Contain("127.0.0.1:1").Or.Contain("refused"));
        Assert.That(run.Metrics.Solved, Is.EqualTo(0), "empty lines solve nothing");
        Assert.Throws<FormatException>(() => PolicySpec.Parse("openai:"));
        Assert.Throws<FormatException>(() => PolicySpec.Parse("openai:ftp://x"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void AnotherServerGetsPlainRequestsAndItsAnswersAreRead(bool logProbs)
    {
        // A loopback server shaped like vLLM's: its models are not Sim's, so the requests carry no Sim context, and the
        // line, its log-probabilities and the usage count come back from the response.
        var bodies = new System.Collections.Concurrent.ConcurrentQueue<JsonObject>();
        var builder = WebApplication.CreateSlimBuilder();
        Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseUrls(builder.WebHost, "http://127.0.0.1:0");
        var other = builder.Build();
        other.MapGet("/v1/models", () => Microsoft.AspNetCore.Http.Results.Text("{\"object\":\"list\",\"data\":[{\"id\":\"m\",\"object\":\"model\",\"created\":0,\"owned_by\":\"vllm\"}]}", "application/json"));
        other.MapPost("/v1/chat/completions", async (Microsoft.AspNetCore.Http.HttpRequest request) =>
        {
            bodies.Enqueue(JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!.AsObject());
            const string reply = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"m\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"3 + 4 = 7\"},\"logprobs\":{\"content\":[{\"token\":\"3 + 4\",\"logprob\":-0.5,\"bytes\":null,\"top_logprobs\":[]},{\"token\":\" = 7\",\"logprob\":-0.25,\"bytes\":null,\"top_logprobs\":[]}]}}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":5,\"total_tokens\":25}}";
            // A server without log-probabilities (some do not implement them) answers "logprobs": null.
            return Microsoft.AspNetCore.Http.Results.Text(logProbs ? reply : reply.Replace(reply[reply.IndexOf("{\"content\":[{\"token", StringComparison.Ordinal)..(reply.IndexOf("]}}]", StringComparison.Ordinal) + 2)], "null"), "application/json");
        });
        other.StartAsync().GetAwaiter().GetResult();
        try
        {
            var policy = new OpenAIPolicy(other.Urls.First(), "m");
            var env = EnvironmentRegistry.Default.Get("countdown");
            var problem = env.Sample(7, 2);
            var output = new ProposedStep[3];
            policy.Propose([new PolicyContext(env, problem, env.Start(problem), [], 1)], 3, output, 9);
            Assert.That(policy.Errors, Is.EqualTo(0), policy.FirstError);
            foreach (var step in output)
            {
                Assert.That(step.Text, Is.EqualTo("3 + 4 = 7"));
                Assert.That(step.LogProb, Is.EqualTo(logProbs ? -0.75 : 0).Within(1e-9));
                Assert.That(step.Tokens, Is.EqualTo(5), "the server's usage count");
            }
            Assert.That(policy.WithoutLogProbs, Is.EqualTo(logProbs ? 0 : 3), "lines without log-probabilities are counted, for sim run's warning");
            Assert.That(bodies, Has.Count.EqualTo(3));
            foreach (var body in bodies)
            {
                Assert.That(body.ContainsKey("metadata"), Is.False, "no Sim context for another server");
                Assert.That(body["stop"]!.ToJsonString(), Does.Contain("\\n"));
                Assert.That((bool)body["logprobs"]!, Is.True);
            }
        }
        finally
        {
            other.StopAsync().GetAwaiter().GetResult();
            other.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [Test]
    public void TheProtocolEndpointsAnswer()
    {
        using var client = new HttpClient { BaseAddress = new Uri(_url) };
        var models = JsonNode.Parse(client.GetStringAsync("/v1/models").GetAwaiter().GetResult())!;
        Assert.That((string)models["data"]![0]!["id"]!, Is.EqualTo("sim"));
        using var bare = client.PostAsync("/v1/chat/completions", new StringContent("{\"model\":\"sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Encoding.UTF8, "application/json"))
            .GetAwaiter().GetResult();
        Assert.That(bare.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(bare.Content.ReadAsStringAsync().GetAwaiter().GetResult(), Does.Contain("metadata"));
    }

    [Test]
    public void TheServeBenchReportsItsFigures()
    {
        var (code, stdout, stderr) = Sim.Tests.Cli.CliTests.Run("bench", "serve", "--quick", "--json");
        Assert.That(code, Is.EqualTo(0), stderr);
        var figures = JsonNode.Parse(stdout)!.AsObject();
        foreach (var key in new[] { "serve.tokens_per_s", "serve.tokens_per_s_batch1", "serve.inprocess_tokens_per_s", "serve.overhead" })
            Assert.That((double)figures[key]!, Is.GreaterThan(0), key);
    }
}
