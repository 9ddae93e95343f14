using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Sim.Agents.Policies;
using Sim.Bench;
using Sim.Environments;
using Sim.Systems.Search;

namespace Sim.Cli.Serving;

/// <summary>
/// <c>sim bench serve</c>: a policy served over the OpenAI protocol on loopback (<c>sim serve --policy</c>, the simulated
/// policy) against the same policy in process: tokens/s one request at a time, and with 16 requests in flight (the
/// figure <c>serve.tokens_per_s</c>), and the overhead of the protocol. It lives in the CLI because the server does.
/// </summary>
public sealed class ServeSuite : IBenchSuite
{
    /// <inheritdoc />
    public string Name => "serve";

    /// <inheritdoc />
    public string Description => "a policy over the OpenAI protocol on loopback: tokens/s at 1 and 16 requests in flight, against in process";

    /// <inheritdoc />
    public void Run(BenchReport report, bool quick, Action<double> progress)
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        var policy = PolicySpec.Parse("simulated:skill=0.3");
        var problems = SearchExperiment.SampleProblems(env, quick ? 64 : 256, 2, 5);
        var contexts = problems.Select((p, i) => new PolicyContext(env, p, env.Start(p), Array.Empty<string>(), (ulong)i)).ToList();
        var app = RewardService.Build("127.0.0.1", 0, rewards: false, policy: policy);
        app.StartAsync().GetAwaiter().GetResult();
        try
        {
            string url = app.Urls.First();
            var output = new ProposedStep[contexts.Count];
            // In process: the same requests, one context per call.
            double Local()
            {
                long tokens = 0;
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < contexts.Count; i++)
                {
                    policy.Propose([contexts[i]], 1, output, (ulong)i);
                    tokens += output[0].Tokens;
                }
                return tokens / clock.Elapsed.TotalSeconds;
            }
            double Served(int concurrency)
            {
                var http = new OpenAIPolicy(url, "sim", concurrency);
                http.Propose(contexts.Take(8).ToList(), 1, output, 1); // connections and JIT
                var clock = Stopwatch.StartNew();
                http.Propose(contexts, 1, output, 2);
                double seconds = clock.Elapsed.TotalSeconds;
                if (http.Errors > 0) throw new InvalidOperationException($"serve bench: {http.Errors} requests failed: {http.FirstError}");
                return output.Take(contexts.Count).Sum(o => (long)o.Tokens) / seconds;
            }
            Local();
            double local = Enumerable.Range(0, 3).Max(_ => Local());
            progress(0.2);
            double one = Served(1);
            progress(0.5);
            double sixteen = Enumerable.Range(0, quick ? 1 : 3).Max(_ => Served(16));
            progress(1.0);
            report.Add("serve.tokens_per_s", sixteen, "tokens/s", "the simulated policy over HTTP, 16 requests in flight (loopback)");
            report.Add("serve.tokens_per_s_batch1", one, "tokens/s", "one request at a time");
            report.Add("serve.inprocess_tokens_per_s", local, "tokens/s", "the same calls in process, one context each");
            report.Add("serve.overhead", local / sixteen, "x", "in-process rate over the 16-in-flight HTTP rate: what the protocol costs");
        }
        finally
        {
            app.StopAsync().GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
