using System.Text;
using Sim.Agents.Data;
using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;
using Sim.Environments.Countdown;

namespace Sim.Agents.Demonstrators;

/// <summary>
/// Scripted solvers that write demonstration traces for policy initialization, in the <see cref="StepProtocol"/>
/// (steps, <c>#</c> thoughts, <c>Wait:</c> corrections that retract the previous step, a final <c>Answer:</c> line).
/// Every trace is checked before it is returned: its effective steps are valid from the start state and its answer is
/// correct, so a row never teaches a wrong solution.
/// <list type="bullet">
/// <item><see cref="DemoStyle.Optimal"/>: the reference solution's steps and answer, nothing else (any environment with a solver).</item>
/// <item><see cref="DemoStyle.SosDfs"/> / <see cref="DemoStyle.SosBfs"/> (countdown): Stream-of-Search traces (Gandhi et al.
/// 2024). Children are ordered by how close their result is to the target; each visited node is written as the step that
/// reaches it and a <c># left …</c> thought; leaving a node is a <c>Wait: backtrack</c> line; BFS moves between nodes of
/// a level by backtracking to the common ancestor and stepping down again.</item>
/// <item><see cref="DemoStyle.Human"/>: the six behaviours of the o1 roadmap: problem analysis (<c># Goal …</c>),
/// decomposition (<c># Plan …</c>), task completion (the steps), alternative proposal (<c># Alternatively …</c>),
/// self-evaluation (<c># Check …</c>) and self-correction (<c>Wait: …</c> after a tempting dead-end move, found with the
/// environment's exact solvability verdicts).</item>
/// </list>
/// </summary>
public sealed class Demonstrator
{
    /// <summary>Makes a demonstrator.</summary>
    public Demonstrator(DemonstratorConfig? config = null) => Config = (config ?? new DemonstratorConfig()).Validate();

    /// <summary>The settings.</summary>
    public DemonstratorConfig Config { get; }

    /// <summary>
    /// A demonstration for <paramref name="problem"/>, or null when the style cannot demonstrate it (no solution, or a
    /// search over the node budget).
    /// </summary>
    /// <exception cref="ArgumentException">The style needs countdown, or a reference solver the environment lacks.</exception>
    public PromptCompletion? Demonstrate(IEnvironment env, Problem problem, DemoStyle style, ref Rng rng)
    {
        if (!env.HasReferenceSolver) throw new ArgumentException($"'{env.Name}' has no reference solver to demonstrate with");
        bool countdown = problem.Spec is CountdownSpec;
        if ((style is DemoStyle.SosDfs or DemoStyle.SosBfs) && !countdown)
            throw new ArgumentException($"Stream-of-Search traces are written for countdown-style environments, not '{env.Name}'");
        List<string>? lines = style switch
        {
            DemoStyle.Optimal => Optimal(env, problem),
            DemoStyle.SosDfs => SosDfs(env, problem),
            DemoStyle.SosBfs => SosBfs(env, problem),
            DemoStyle.Human => countdown ? HumanCountdown(env, problem, ref rng) : HumanGeneric(env, problem),
            _ => throw new ArgumentOutOfRangeException(nameof(style)),
        };
        if (lines is null) return null;
        Verify(env, problem, lines);
        var sb = new StringBuilder();
        foreach (var l in lines) sb.Append(l).Append('\n');
        return new PromptCompletion(DemoPrompt.For(env, problem), sb.ToString());
    }

    private static List<string>? Optimal(IEnvironment env, Problem problem)
    {
        var s = env.Solve(problem);
        if (s is null) return null;
        var lines = new List<string>(s.Steps);
        lines.Add(StepProtocol.AnswerPrefix + s.Answer);
        return lines;
    }

    // A search node: the env state, the expression of every available number (same order as the state), and the
    // steps from the root.
    private sealed record Node(CountdownState State, string[] Exprs, string[] Path);

    private static Node Child(Node n, string step, StepVerdict v)
    {
        // Mirror the environment's bookkeeping: it consumes the first match of the left operand, then the first other
        // match of the right one, keeps the rest in order and appends the result.
        if (!Sim.Environments.Exact.BinaryStep.TryParse(step, out var parsed, out _)) throw new InvalidOperationException($"unparsable step '{step}'");
        var avail = n.State.Available;
        int i = Array.FindIndex(avail, x => x == parsed.Left);
        int j = -1;
        for (int k = 0; k < avail.Length; k++) if (k != i && avail[k] == parsed.Right) { j = k; break; }
        var exprs = new List<string>();
        for (int k = 0; k < avail.Length; k++) if (k != i && k != j) exprs.Add(n.Exprs[k]);
        exprs.Add($"({n.Exprs[i]}{parsed.Op}{n.Exprs[j]})");
        return new Node((CountdownState)v.State, exprs.ToArray(), [.. n.Path, step]);
    }

    private static string AnswerOf(Problem problem, Node n)
    {
        var spec = (CountdownSpec)problem.Spec;
        int at = Array.FindIndex(n.State.Available, x => x == spec.Target);
        string e = n.Exprs[at];
        return e.Length > 1 && e[0] == '(' && e[^1] == ')' ? e[1..^1] : e;
    }

    private static Node Root(IEnvironment env, Problem problem)
    {
        var s = (CountdownState)env.Start(problem);
        return new Node(s, s.Available.Select(x => x.ToString()).ToArray(), []);
    }

    private static List<(string Text, StepVerdict Verdict)> Children(IEnvironment env, Problem problem, Node n)
    {
        var target = ((CountdownSpec)problem.Spec).Target;
        return CountdownMoves.Valid(env, problem, n.State)
            .OrderBy(c => Math.Abs((double)(((CountdownState)c.Verdict.State).Available[^1].Numerator - target.Numerator)))
            .ThenBy(c => c.Text, StringComparer.Ordinal)
            .ToList();
    }

    private List<string>? SosDfs(IEnvironment env, Problem problem)
    {
        var lines = new List<string>();
        int visited = 0;
        Node? found = null;
        bool Visit(Node n)
        {
            if (++visited > Config.MaxNodes) return false;
            if (CountdownMoves.Reached(problem, n.State)) { found = n; return true; }
            foreach (var (text, v) in Children(env, problem, n))
            {
                if (visited >= Config.MaxNodes) return false;
                var c = Child(n, text, v);
                lines.Add(text);
                lines.Add($"# left {CountdownMoves.Left(c.State)}");
                if (Visit(c)) return true;
                lines.Add(StepProtocol.CorrectionPrefix + "backtrack");
            }
            return false;
        }
        if (!Visit(Root(env, problem)) || found is null) return null;
        lines.Add(StepProtocol.AnswerPrefix + AnswerOf(problem, found));
        return lines;
    }

    private List<string>? SosBfs(IEnvironment env, Problem problem)
    {
        var lines = new List<string>();
        var queue = new Queue<Node>();
        var root = Root(env, problem);
        queue.Enqueue(root);
        Node current = root;
        int visited = 0;
        while (queue.Count > 0)
        {
            var n = queue.Dequeue();
            if (++visited > Config.MaxNodes) return null;
            // Walk the trace from the current node to n: back up to the common ancestor, then step down.
            int common = 0;
            while (common < current.Path.Length && common < n.Path.Length && current.Path[common] == n.Path[common]) common++;
            for (int up = current.Path.Length; up > common; up--) lines.Add(StepProtocol.CorrectionPrefix + "backtrack");
            for (int d = common; d < n.Path.Length; d++) lines.Add(n.Path[d]);
            if (n.Path.Length > common) lines.Add($"# left {CountdownMoves.Left(n.State)}");
            current = n;
            if (CountdownMoves.Reached(problem, n.State))
            {
                lines.Add(StepProtocol.AnswerPrefix + AnswerOf(problem, n));
                return lines;
            }
            foreach (var (text, v) in Children(env, problem, n)) queue.Enqueue(Child(n, text, v));
        }
        return null;
    }

    private List<string>? HumanCountdown(IEnvironment env, Problem problem, ref Rng rng)
    {
        var spec = (CountdownSpec)problem.Spec;
        var solution = env.Solve(problem);
        if (solution is null) return null;
        var lines = new List<string>
        {
            $"# Goal: make {spec.Target} from {string.Join(" ", spec.Numbers)}.",
            "# Plan: combine two numbers at a time and keep the goal reachable.",
        };
        var node = Root(env, problem);
        foreach (var step in solution.Steps)
        {
            if (rng.Chance(Config.DetourChance))
            {
                var detours = CountdownMoves.Valid(env, problem, node.State).Where(m => m.Verdict.SolvableFromHere == Solvability.No).ToList();
                if (detours.Count > 0)
                {
                    var (bad, badVerdict) = detours[rng.NextInt(detours.Count)];
                    lines.Add(bad);
                    lines.Add($"# Check: left {CountdownMoves.Left(badVerdict.State)}, the goal is out of reach.");
                    lines.Add(StepProtocol.CorrectionPrefix + bad + " is a dead end");
                    lines.Add("# Alternatively:");
                }
            }
            var v = env.CheckStep(problem, node.State, step);
            node = Child(node, step, v);
            lines.Add(step);
            lines.Add($"# Check: left {CountdownMoves.Left(node.State)}" + (CountdownMoves.Reached(problem, node.State) ? ", goal reached." : "."));
        }
        lines.Add(StepProtocol.AnswerPrefix + solution.Answer);
        return lines;
    }

    private static List<string>? HumanGeneric(IEnvironment env, Problem problem)
    {
        var solution = env.Solve(problem);
        if (solution is null) return null;
        string firstLine = problem.Question.Split('\n')[0];
        var lines = new List<string> { "# Goal: " + firstLine, "# Plan: solve it one step at a time and check each step." };
        var state = env.Start(problem);
        foreach (var step in solution.Steps)
        {
            var v = env.CheckStep(problem, state, step);
            state = v.State;
            lines.Add(step);
            lines.Add("# Check: " + state);
        }
        lines.Add(StepProtocol.AnswerPrefix + solution.Answer);
        return lines;
    }

    // A demonstration must be right: its effective steps valid in order, and its answer accepted.
    private static void Verify(IEnvironment env, Problem problem, List<string> lines)
    {
        var state = env.Start(problem);
        foreach (var step in StepProtocol.EffectiveSteps(lines))
        {
            var v = env.CheckStep(problem, state, step);
            if (!v.Valid) throw new InvalidOperationException($"demonstrator bug: step '{step}' rejected: {v.Reason}");
            state = v.State;
        }
        var answer = lines.LastOrDefault(l => StepProtocol.Classify(l) == StepKind.Answer)
            ?? throw new InvalidOperationException("demonstrator bug: no answer line");
        var verdict = env.CheckAnswer(problem, StepProtocol.AnswerOf(answer));
        if (!verdict.Correct) throw new InvalidOperationException($"demonstrator bug: answer '{answer}' rejected: {verdict.Reason}");
    }
}
