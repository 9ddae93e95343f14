using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sim.Environments;
using Sim.Environments.Conformance;
using Spectre.Console;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim envs list</c>, <c>sim envs sample NAME [--difficulty D] [--count N]</c> and <c>sim envs check NAME</c>: the
/// registered task environments, problems from them (one reasoning-gym JSON row per line with <c>--json</c>), and the
/// conformance checker (exit 1 when a check fails).
/// </summary>
public static class EnvsCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create(CommandFactory f) =>
        f.Group("envs", "Task environments: list them, sample problems, run the conformance checker",
            List(f), Show(f), Sample(f), Check(f), Fingerprint(f));

    private static Command List(CommandFactory f) => f.Make("list", "List the registered environments", ctx =>
    {
        var envs = EnvironmentRegistry.Default.All;
        if (ctx.Json)
        {
            var arr = new JsonArray();
            foreach (var e in envs)
            {
                arr.Add(new JsonObject
                {
                    ["name"] = e.Name,
                    ["description"] = e.Description,
                    ["difficulty"] = new JsonObject { ["min"] = e.Difficulty.Min, ["max"] = e.Difficulty.Max, ["default"] = e.Difficulty.Default, ["meaning"] = e.Difficulty.Meaning },
                    ["process_reward"] = new JsonArray(e.ProcessRewardRange.Min, e.ProcessRewardRange.Max),
                    ["reference_solver"] = e.HasReferenceSolver,
                });
            }
            ctx.Out.WriteLine(arr.ToJsonString());
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("name", "difficulty", "solver", "description");
        foreach (var e in envs)
            table.AddRow(e.Name, $"{e.Difficulty.Min}..{e.Difficulty.Max} (default {e.Difficulty.Default})", e.HasReferenceSolver ? "yes" : "no", Markup.Escape(e.Description));
        ctx.Console.Write(table);
        return ExitCodes.Ok;
    });

    private static Command Show(CommandFactory f)
    {
        var name = new Argument<string>("name") { Description = "Environment name or spec (e.g. judge, or judge:length=0.1 to see a setting applied)" };
        var problemFile = new Option<string?>("--problem") { Description = "A problem (one reasoning-gym row, as 'sim envs sample' prints it; - for stdin) to show" };
        var solution = new Option<bool>("--solution") { Description = "With --problem: the reference solution, and whether the problem is solvable" };
        return f.Make("show", "One environment: what it is, its difficulty levels, rewards and settings; or one problem of it, with its reference solution", ctx =>
        {
            var e = EnvironmentRegistry.Default.Get(ctx.Get(name)!);
            if (ctx.Get(problemFile) is { } path) return ShowProblem(ctx, e, path, ctx.Get(solution));
            if (ctx.Get(solution)) throw new UsageException("--solution needs --problem FILE");
            var options = e is IConfigurableEnvironment c ? c.Options : [];
            if (ctx.Json)
            {
                ctx.Out.WriteLine(new JsonObject
                {
                    ["name"] = e.Name,
                    ["description"] = e.Description,
                    ["difficulty"] = new JsonObject { ["min"] = e.Difficulty.Min, ["max"] = e.Difficulty.Max, ["default"] = e.Difficulty.Default, ["meaning"] = e.Difficulty.Meaning },
                    ["process_reward"] = new JsonArray(e.ProcessRewardRange.Min, e.ProcessRewardRange.Max),
                    ["reference_solver"] = e.HasReferenceSolver,
                    ["lists_steps"] = e is IStepEnumerator,
                    ["settings"] = new JsonArray(options.Select(o => (JsonNode)new JsonObject { ["name"] = o.Name, ["value"] = o.Value, ["description"] = o.Description }).ToArray()),
                }.ToJsonString());
                return ExitCodes.Ok;
            }
            ctx.Out.WriteLine($"{e.Name}: {e.Description}");
            ctx.Out.WriteLine($"difficulty {e.Difficulty.Min}..{e.Difficulty.Max} (default {e.Difficulty.Default}): {e.Difficulty.Meaning}");
            ctx.Out.WriteLine($"process reward in [{e.ProcessRewardRange.Min}, {e.ProcessRewardRange.Max}]; reference solver: {(e.HasReferenceSolver ? "yes" : "no")}");
            if (options.Count == 0) { ctx.Out.WriteLine("no settings"); return ExitCodes.Ok; }
            var table = new Table().AddColumns("setting", "value", "what it does");
            foreach (var o in options) table.AddRow(o.Name, o.Value, Markup.Escape(o.Description));
            ctx.Console.Profile.Width = Math.Max(ctx.Console.Profile.Width, 160); // tables are read in logs, not terminals
            ctx.Console.Write(table);
            ctx.Out.WriteLine($"change them with --env {e.Name}:{options[0].Name}=...,{(options.Count > 1 ? options[1].Name : options[0].Name)}=...");
            return ExitCodes.Ok;
        }, name, problemFile, solution);
    }

    // One problem: its question and ground truth, and with --solution the reference solution and whether it is solvable
    // (so nobody has to submit "no solution" to find out).
    private static int ShowProblem(CliContext ctx, IEnvironment e, string path, bool withSolution)
    {
        Problem p;
        try { p = e.Load(VerifyCommand.ReadProblem(VerifyCommand.ReadAll(path, "--problem"))); }
        catch (InvalidDataException ex) { throw new InvalidDataException($"--problem: {ex.Message}"); }
        var sol = withSolution && e.HasReferenceSolver ? e.Solve(p) : null;
        string solvable = !withSolution ? "unknown" : !e.HasReferenceSolver ? "unknown (no reference solver)" : sol is null ? "no" : "yes";
        if (ctx.Json)
        {
            var o = new JsonObject { ["env"] = e.Name, ["id"] = p.Id, ["question"] = p.Question, ["answer"] = p.Answer, ["difficulty"] = p.Difficulty };
            if (withSolution)
            {
                o["solvable"] = e.HasReferenceSolver ? sol is not null : null;
                o["solution"] = sol is null ? null : new JsonObject
                {
                    ["steps"] = new JsonArray(sol.Steps.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()), ["answer"] = sol.Answer,
                };
            }
            ctx.Out.WriteLine(o.ToJsonString());
            return ExitCodes.Ok;
        }
        ctx.Out.WriteLine($"{p.Id} ({e.Name}, difficulty {p.Difficulty}): {p.Question}");
        ctx.Out.WriteLine($"ground truth: {p.Answer}");
        if (!withSolution) return ExitCodes.Ok;
        ctx.Out.WriteLine($"solvable: {solvable}");
        if (sol is not null)
        {
            for (int i = 0; i < sol.Steps.Count; i++) ctx.Out.WriteLine($"step {i + 1}: {sol.Steps[i]}");
            ctx.Out.WriteLine($"answer: {sol.Answer}");
        }
        return ExitCodes.Ok;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "Environment name (see 'sim envs list')" };

    private static Command Sample(CommandFactory f)
    {
        var name = NameArgument();
        var difficulty = new Option<int?>("--difficulty", "-d") { Description = "Difficulty level (default: the environment's default)" };
        var count = new Option<int>("--count", "-n") { Description = "How many problems (seeds S, S+1, ...)", DefaultValueFactory = _ => 1 };
        return f.Make("sample", "Generate problems; with --json, one reasoning-gym row {id, question, answer, metadata} per line", ctx =>
        {
            var env = EnvironmentRegistry.Default.Get(ctx.Get(name)!);
            int d = ctx.Get(difficulty) ?? env.Difficulty.Default;
            env.Difficulty.Check(d);
            int n = ctx.Get(count);
            if (n < 1 || n > 1_000_000) throw new UsageException("--count must be in 1..1000000");
            for (int i = 0; i < n; i++)
            {
                var p = env.Sample(ctx.Seed + (ulong)i, d);
                if (ctx.Json)
                {
                    ctx.Out.WriteLine(p.ToRecord().ToJson());
                }
                else
                {
                    ctx.Out.WriteLine($"{p.Id}  (difficulty {p.Difficulty})");
                    ctx.Out.WriteLine($"  question: {p.Question}");
                    ctx.Out.WriteLine($"  answer:   {p.Answer}");
                }
            }
            return ExitCodes.Ok;
        }, name, difficulty, count);
    }

    private static Command Check(CommandFactory f)
    {
        var name = NameArgument();
        var seeds = new Option<int>("--seeds") { Description = "Problems per difficulty level", DefaultValueFactory = _ => 5 };
        var fuzz = new Option<int>("--fuzz") { Description = "Fuzzed inputs per problem", DefaultValueFactory = _ => 40 };
        var plugins = new Option<string[]>("--plugin") { Description = "Register the environments of a compiled assembly first (public IEnvironment types with a parameterless constructor); repeatable" };
        return f.Make("check", "Run the conformance checker on an environment (exit 1 when a check fails)", ctx =>
        {
            foreach (var file in ctx.Get(plugins) ?? []) EnvironmentRegistry.Default.LoadPlugin(file);
            var env = EnvironmentRegistry.Default.Get(ctx.Get(name)!);
            int s = ctx.Get(seeds), z = ctx.Get(fuzz);
            if (s < 1 || s > 10_000) throw new UsageException("--seeds must be in 1..10000");
            if (z < 0 || z > 100_000) throw new UsageException("--fuzz must be in 0..100000");
            var checker = new ConformanceChecker(new ConformanceChecker.Options(s, z, ctx.Seed));
            var results = checker.Check(env).Append(CrossProcess(checker, env, ctx.Get(name)!, s, z, ctx.Seed, ctx.Get(plugins) ?? [])).ToList();
            bool ok = results.All(r => r.Passed);
            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    env = env.Name,
                    passed = ok,
                    checks = results.Select(r => new { name = r.Name, passed = r.Passed, cases = r.Cases, failure = r.Failure, warning = r.Warning }),
                }));
            }
            else
            {
                var table = new Table().AddColumns("check", "result", "cases", "detail");
                foreach (var r in results)
                    table.AddRow(r.Name, !r.Passed ? "[red]FAIL[/]" : r.Warning is not null ? "[yellow]warn[/]" : "[green]ok[/]", r.Cases.ToString(),
                        Markup.Escape(r.Failure ?? r.Warning ?? ""));
                ctx.Console.Profile.Width = Math.Max(ctx.Console.Profile.Width, 160); // tables are read in logs, not terminals
                ctx.Console.Write(table);
                ctx.Out.WriteLine(ok ? $"{env.Name}: all checks passed" : $"{env.Name}: {results.Count(r => !r.Passed)} check(s) failed");
            }
            return ok ? ExitCodes.Ok : ExitCodes.RunFailed;
        }, name, seeds, fuzz, plugins);
    }

    // Determinism across processes: a child `sim envs fingerprint` with the same arguments must print this process's
    // fingerprint (a seed from string.GetHashCode, the time or an unseeded random number shows here and nowhere else).
    private static ConformanceChecker.CheckResult CrossProcess(ConformanceChecker checker, IEnvironment env, string spec, int seeds, int fuzz, ulong seed, string[] plugins)
    {
        var command = SimCommand();
        // In a test host (no sim executable), the check cannot start a second process: say so rather than pass silently.
        if (command is null || !Path.GetFileNameWithoutExtension(command[^1]).Equals("sim", StringComparison.OrdinalIgnoreCase))
            return new ConformanceChecker.CheckResult("cross_process", true, 0, null, "not run: no sim executable to start a second process");
        try
        {
            ulong here = checker.Fingerprint(env);
            var start = new System.Diagnostics.ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in command.Skip(1)) start.ArgumentList.Add(a);
            foreach (var a in new[] { "envs", "fingerprint", spec, "--seeds", seeds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                         "--fuzz", fuzz.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(a);
            foreach (var p in plugins) { start.ArgumentList.Add("--plugin"); start.ArgumentList.Add(Path.GetFullPath(p)); }
            using var child = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("could not start a second sim");
            var output = child.StandardOutput.ReadToEndAsync();
            var error = child.StandardError.ReadToEndAsync();
            if (!child.WaitForExit(TimeSpan.FromMinutes(5))) { child.Kill(true); return new ConformanceChecker.CheckResult("cross_process", false, 0, "the second process ran past 5 minutes"); }
            child.WaitForExit();
            if (child.ExitCode != 0) return new ConformanceChecker.CheckResult("cross_process", false, 0, $"the second process failed: {error.Result.Trim()}");
            string there = output.Result.Trim();
            string mine = here.ToString("x16");
            return there == mine
                ? new ConformanceChecker.CheckResult("cross_process", true, 1, null)
                : new ConformanceChecker.CheckResult("cross_process", false, 0, $"another process got other problems or verdicts (fingerprint {there}, here {mine}): a seed or verdict depends on the process (string.GetHashCode, the time, an unseeded random?)");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new ConformanceChecker.CheckResult("cross_process", false, 0, $"could not run a second process: {ex.Message}");
        }
    }

    // The command that starts this sim again (`dotnet sim.dll` or the apphost), or null in another host (a test runner).
    private static string[]? SimCommand()
    {
        string? host = Environment.ProcessPath;
        if (host is null) return null;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            return System.Reflection.Assembly.GetEntryAssembly()?.Location is { Length: > 0 } entry ? [host, entry] : null;
        return [host];
    }

    // Hidden: the fingerprint of an environment on the checker's cases, for `sim envs check`'s second process.
    private static Command Fingerprint(CommandFactory f)
    {
        var name = NameArgument();
        var seeds = new Option<int>("--seeds") { DefaultValueFactory = _ => 5 };
        var fuzz = new Option<int>("--fuzz") { DefaultValueFactory = _ => 40 };
        var plugins = new Option<string[]>("--plugin");
        var command = f.Make("fingerprint", "The environment's fingerprint on the checker's cases (used by 'sim envs check')", ctx =>
        {
            foreach (var file in ctx.Get(plugins) ?? []) EnvironmentRegistry.Default.LoadPlugin(file);
            var env = EnvironmentRegistry.Default.Get(ctx.Get(name)!);
            ctx.Out.WriteLine(new ConformanceChecker(new ConformanceChecker.Options(ctx.Get(seeds), ctx.Get(fuzz), ctx.Seed)).Fingerprint(env).ToString("x16"));
            return ExitCodes.Ok;
        }, name, seeds, fuzz, plugins);
        command.Hidden = true;
        return command;
    }
}
