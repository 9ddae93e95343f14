namespace Sim.Systems.Search;

/// <summary>Sequential-revision settings.</summary>
/// <param name="Guidance">The signal that accepts an attempt and locates its error. Internal
/// (<see cref="Guidance.Confidence"/>): accept when the attempt's sequence confidence reaches
/// <paramref name="AcceptConfidence"/>, otherwise revise from its least confident line. External
/// (<see cref="Guidance.Verifier"/>, <see cref="Guidance.Oracle"/>): accept when the verifier says the answer is
/// right, otherwise revise from the first line the verifier rejected (or, with the oracle, the first step after which
/// the task became unsolvable; when no step was rejected, the answer line, and if the same answer from there failed
/// already, the step whose process reward rose least). <see cref="Guidance.SelfEval"/> (internal): accept when the policy's self-evaluation
/// of the answer says "yes" (above ½), otherwise revise from the first line it says "no" to. <see cref="Guidance.RewardModel"/>: accept when the ORM score reaches
/// <paramref name="AcceptConfidence"/>, otherwise revise from the lowest-scored step.</param>
/// <param name="AcceptConfidence">The acceptance threshold for internal and reward-model signals.</param>
/// <param name="MaxAttempts">A cap on attempts per episode, on top of the budget.</param>
public sealed record RevisionConfig(Guidance Guidance = Guidance.Verifier, double AcceptConfidence = 0.5, int MaxAttempts = 1_000_000);

/// <summary>
/// Sequential revision: write one attempt line by line; when it ends, check it with the guidance signal; if it is not
/// accepted, keep the part before the first flagged line and write a new continuation from there, with the earlier
/// attempts still in the tree. Unlike best-of-N, a revision keeps the good prefix (so it spends less per attempt) and
/// attempts are sequential, not parallel. The answer is the accepted attempt, or, when the budget ends first, the
/// best-scored attempt.
/// </summary>
public sealed class SequentialRevision(RevisionConfig config) : SearchAlgorithm
{
    private readonly List<int> _attempts = new();
    private int _cursor;

    /// <summary>The settings.</summary>
    public RevisionConfig Config { get; } = config.MaxAttempts >= 1 ? config : throw new ArgumentException("revision needs MaxAttempts >= 1");

    /// <inheritdoc />
    public override string Name => "revise";

    /// <inheritdoc />
    public override Guidance Guidance => Config.Guidance;

    /// <summary>The attempts finished this episode.</summary>
    public IReadOnlyList<int> Attempts => _attempts;

    /// <inheritdoc />
    public override void Begin(SearchAgent agent)
    {
        _attempts.Clear();
        _cursor = 0;
    }

    /// <summary>Continues from <paramref name="node"/> (used by <see cref="Hybrid"/>): its prefix is kept.</summary>
    public void StartFrom(SearchAgent agent, int node)
    {
        _cursor = agent.Tree[node].Complete ? Math.Max(0, agent.Tree[node].Parent) : node;
        if (agent.Tree[node].Complete && agent.Tree[node].AnswerText is not null) _attempts.Add(node);
    }

    /// <inheritdoc />
    public override void Select(SearchAgent agent) => agent.Request(_cursor, 1, merge: false);

    /// <inheritdoc />
    public override void Backup(SearchAgent agent)
    {
        var tree = agent.Tree;
        foreach (int node in agent.Fresh)
        {
            if (!tree[node].Complete) { _cursor = node; continue; }
            _attempts.Add(node);
            if (Accepted(tree, node)) { agent.Commit(tree[node].AnswerText is null ? Choose(agent) : node); return; }
            if (_attempts.Count >= Config.MaxAttempts) { agent.Commit(Choose(agent)); return; }
            _cursor = Math.Max(0, tree[Flagged(tree, node)].Parent);
        }
    }

    private bool Accepted(SearchTree tree, int node)
    {
        if (tree[node].AnswerText is null) return false;
        return Config.Guidance switch
        {
            Guidance.Verifier or Guidance.Oracle => tree[node].Correct,
            Guidance.RewardModel => NodeSignal(tree, node, Guidance.RewardModel) >= Config.AcceptConfidence,
            Guidance.SelfEval => Accepts(tree, node),
            _ => PathScore(tree, node, Guidance.Confidence, null) >= Config.AcceptConfidence,
        };
    }

    // The line to rewrite: the first one the external signal rejects, or the lowest-scored one under internal or
    // reward-model guidance; the answer line itself when nothing earlier is flagged.
    private int Flagged(SearchTree tree, int end)
    {
        var path = tree.Path(end);
        if (Config.Guidance is Guidance.Verifier or Guidance.Oracle)
        {
            foreach (int n in path)
            {
                if (tree[n].Kind != NodeKind.Step) continue;
                if (tree[n].Verdict != Sim.Environments.VerdictKind.Ok) return n;
                if (Config.Guidance == Guidance.Oracle && tree[n].Solvable == Sim.Environments.Solvability.No) return n;
            }
            // Every step was accepted but the answer was not: rewrite just the answer, unless an earlier attempt
            // already gave this same answer from this same point (the answer follows from the steps, as the judge's
            // draft does). Then the steps are at fault: rewrite from the one that gained least process reward.
            if (!SameAnswerBefore(tree, end)) return end;
            int weakest = end;
            double least = double.PositiveInfinity;
            foreach (int n in path)
            {
                if (tree[n].Kind != NodeKind.Step) continue;
                double gain = tree[n].Reward - tree[Math.Max(tree[n].Parent, 0)].Reward;
                if (gain < least) { least = gain; weakest = n; }
            }
            return weakest;
        }
        if (Config.Guidance == Guidance.SelfEval)
        {
            // The first line the policy's own check says is wrong.
            foreach (int n in path)
                if (tree[n].Kind is NodeKind.Step or NodeKind.Answer && NodeSignal(tree, n, Guidance.SelfEval) <= 0.5) return n;
            return end;
        }
        int worst = end;
        double low = double.PositiveInfinity;
        foreach (int n in path)
        {
            if (tree[n].Kind is NodeKind.Thought) continue;
            double s = NodeSignal(tree, n, Config.Guidance);
            if (s < low) { low = s; worst = n; }
        }
        return worst;
    }

    // True when another attempt also ended as a child of `end`'s parent with the same answer text.
    private bool SameAnswerBefore(SearchTree tree, int end)
    {
        int parent = tree[end].Parent;
        foreach (int a in _attempts)
            if (a != end && tree[a].Parent == parent && tree[a].AnswerText == tree[end].AnswerText) return true;
        return false;
    }

    /// <inheritdoc />
    public override int Choose(SearchAgent agent)
    {
        var tree = agent.Tree;
        int best = -1;
        double bestScore = double.NegativeInfinity;
        // The latest attempt wins ties: a revision is meant to improve on what came before.
        foreach (int a in _attempts)
        {
            if (tree[a].AnswerText is null) continue;
            double s = PathScore(tree, a, Config.Guidance, null);
            if (s >= bestScore) { bestScore = s; best = a; }
        }
        return best;
    }
}
