using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Sim.Cli.Serving;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim serve [--rewards] [--policy SPEC] [--host 127.0.0.1] [--port 8077]</c>: Sim's environments as an HTTP reward
/// service (<see cref="RewardService"/>) and a policy over the OpenAI protocol (<see cref="PolicyService"/>), until
/// stopped (Ctrl-C). With neither flag it serves both, the policy being <c>sim run</c>'s default.
/// </summary>
public static class ServeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CommandFactory f)
    {
        var rewards = new Option<bool>("--rewards") { Description = "Serve the environments' verifiers: GET /envs, POST /verify, POST /verify/batch" };
        var host = new Option<string>("--host") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on", DefaultValueFactory = _ => 8077 };
        var policy = new Option<string?>("--policy") { Description = "Serve this policy over the OpenAI chat-completions protocol (see sim run --policy), as model 'sim'" };
        return f.Make("serve", "Serve Sim over HTTP: the environments as a reward service (--rewards), a policy over the OpenAI protocol (--policy)", ctx =>
        {
            string? spec = ctx.Get(policy);
            bool serveRewards = ctx.Get(rewards);
            // Neither named: both, with the default policy of sim run (so `sim serve` and `sim run --policy openai:...`
            // together are the default run through HTTP).
            if (!serveRewards && spec is null) (serveRewards, spec) = (true, RunCommand.DefaultPolicy);
            int p = ctx.Get(port);
            if (p < 0 || p > 65535) throw new UsageException("--port must be in 0..65535");
            // Kestrel reads any host it cannot parse as "every interface"; a typo must not expose a server that has no
            // authentication, so only an IP address or localhost is taken, and listening on all interfaces is said.
            string h = ctx.Get(host)!.Trim();
            if (h != "localhost" && !System.Net.IPAddress.TryParse(h, out _))
                throw new UsageException($"--host must be an IP address or localhost, not '{h}'");
            if (h.Contains(':') && !h.StartsWith('[')) h = $"[{h}]";
            if (h is "0.0.0.0" or "[::]") ctx.Err.WriteLine("warning: listening on every interface; sim serve has no authentication");
            var app = RewardService.Build(h, p, serveRewards, spec is null ? null : Sim.Systems.Search.PolicySpec.Parse(spec));
            try { app.Start(); }
            catch (IOException ex) when (ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || ex.InnerException is System.Net.Sockets.SocketException)
            {
                throw new UsageException($"cannot listen on {h}:{p}: {SimApp.FirstLine(ex.Message)}");
            }
            ctx.Err.WriteLine($"serving on {string.Join(", ", app.Urls)}:{(serveRewards ? " GET /envs, POST /verify, POST /verify/batch;" : "")}{(spec is null ? "" : $" GET /v1/models, POST /v1/chat/completions, POST /v1/completions ({spec});")} Ctrl-C stops");
            app.WaitForShutdown();
            return ExitCodes.Ok;
        }, rewards, host, port, policy);
    }
}
