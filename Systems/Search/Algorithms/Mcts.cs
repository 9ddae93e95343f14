namespace Sim.Systems.Search;

/// <summary>MCTS settings.</summary>
/// <param name="CPuct">Exploration constant c of PUCT: Q(s,a) + c·P(s,a)·√N(s) / (1 + N(s,a)).</param>
/// <param name="ExpandWidth">Lines sampled when a leaf is expanded (identical lines merge, raising the child's prior).</param>
/// <param name="ProgressiveWidening">When true, a node may be expanded again (another <paramref name="ExpandWidth"/>
/// samples) while it has fewer than ⌈C·N^α⌉ children.</param>
/// <param name="WideningC">C of progressive widening.</param>
/// <param name="WideningAlpha">α of progressive widening.</param>
/// <param name="Selections">Leaves selected per agent per tick; more than one relies on virtual loss to spread them.</param>
/// <param name="VirtualLoss">Virtual visits of value 0 added along a selected path until its results are backed up.</param>
/// <param name="Guidance">The leaf value: the exact oracle, the verifier's process reward, the reward or value model,
/// or the policy's confidence.</param>
/// <param name="StopWhenVerified">Stop as soon as an answer is verified correct (external guidance only).</param>
/// <param name="MaxSimulations">A cap on simulations per episode, on top of the budget.</param>
/// <param name="Rollouts">When true, a simulation's value comes from a rollout: the policy continues the best new child
/// one line per tick until the trajectory ends, and the end's signal (its outcome under external guidance, its sequence
/// confidence under internal) is backed up. Rollout lines stay in the tree (they are trajectories the policy wrote).
/// When false, the value is the new children's own signal (oracle, PRM/value model, process reward, confidence).</param>
public sealed record MctsConfig(
    double CPuct = 1.0,
    int ExpandWidth = 4,
    bool ProgressiveWidening = false,
    double WideningC = 1.0,
    double WideningAlpha = 0.5,
    int Selections = 1,
    double VirtualLoss = 1.0,
    Guidance Guidance = Guidance.Oracle,
    bool StopWhenVerified = true,
    int MaxSimulations = 1_000_000,
    bool Rollouts = false);

/// <summary>
/// Monte Carlo tree search over reasoning steps with PUCT (AlphaZero-style). Each simulation: descend from the root by
/// PUCT, with priors P = the policy's sampling frequency of each line among its siblings; expand the leaf with
/// <see cref="MctsConfig.ExpandWidth"/> sampled lines; evaluate each new child by the guidance (its value is its first
/// visit); back the best child's value up the path. Answers are leaves whose value is their outcome signal. The answer
/// is the complete node with the highest mean value (then the most visits). A node whose children all have value 0
/// is expanded again instead of descended into.
/// <para>Batching: all agents' leaves go to the policy in one call per tick; <see cref="MctsConfig.Selections"/> &gt; 1
/// selects several leaves per agent per tick, kept apart by virtual loss.</para>
/// </summary>
public sealed class Mcts(MctsConfig config) : SearchAlgorithm
{
    private readonly List<int> _pending = new();
    private readonly List<int> _answers = new();
    private int _simulations;
    private int _rolloutLeaf = -1, _rolloutTip = -1;

    /// <summary>The settings.</summary>
    public MctsConfig Config { get; } = config.ExpandWidth >= 1 && config.Selections >= 1 ? config
        : throw new ArgumentException("MCTS needs ExpandWidth >= 1 and Selections >= 1");

    /// <inheritdoc />
    public override string Name => "mcts";

    /// <inheritdoc />
    public override Guidance Guidance => Config.Guidance;

    /// <summary>Simulations run this episode.</summary>
    public int Simulations => _simulations;

    /// <inheritdoc />
    public override void Begin(SearchAgent agent)
    {
        _pending.Clear();
        _answers.Clear();
        _simulations = 0;
        _rolloutLeaf = _rolloutTip = -1;
    }

    /// <inheritdoc />
    public override void Select(SearchAgent agent)
    {
        var tree = agent.Tree;
        if (_rolloutTip >= 0)
        {
            agent.Request(_rolloutTip, 1, merge: false);
            return;
        }
        _pending.Clear();
        // Re-visiting an answer costs no compute, so such simulations do not count towards this tick's selections; a
        // cap keeps a search that only re-visits answers from spinning (it then queues nothing and commits).
        for (int s = 0, tries = 0; s < Config.Selections && tries < Config.Selections + 64 && _simulations < Config.MaxSimulations; tries++)
        {
            int leaf = Descend(tree);
            if (leaf < 0) break;
            _simulations++;
            if (tree[leaf].Complete)
            {
                BackupPath(tree, leaf, tree[leaf].Q);
                agent.Touch(leaf); // no new node carries this path's new statistics to the replay
                continue;
            }
            s++;
            for (int n = leaf; n >= 0; n = tree[n].Parent) tree[n].VirtualLoss++;
            agent.Request(leaf, agent.Affordable(Config.ExpandWidth), merge: true);
            _pending.Add(leaf);
        }
    }

    // PUCT descent; returns the node to expand (or an answer to re-visit), or -1 when the only way down is a leaf whose
    // expansion is already in flight this tick.
    private int Descend(SearchTree tree)
    {
        int node = 0;
        while (true)
        {
            ref var n = ref tree[node];
            if (n.Complete || n.Expansions == 0) return node;
            if (n.ChildCount == 0) return -1; // expansion in flight
            if (Config.ProgressiveWidening && n.ChildCount < Math.Ceiling(Config.WideningC * Math.Pow(n.Visits + 1, Config.WideningAlpha))
                && n.VirtualLoss == 0)
                return node;
            double priors = 0, bestQ = double.NegativeInfinity;
            for (int c = n.FirstChild; c >= 0; c = tree[c].NextSibling)
            {
                priors += tree[c].Prior;
                bestQ = Math.Max(bestQ, tree[c].Q);
            }
            // Every child so far is worthless (e.g. all rejected by the verifier): sample this node again rather than
            // descend into a dead end. Without this, one unlucky expansion would cut the solution off for good.
            if (bestQ <= 0 && n.VirtualLoss == 0) return node;
            double sqrtN = Math.Sqrt(Math.Max(1, n.Visits + n.VirtualLoss * Config.VirtualLoss));
            int best = -1;
            double bestScore = double.NegativeInfinity;
            for (int c = n.FirstChild; c >= 0; c = tree[c].NextSibling)
            {
                ref var ch = ref tree[c];
                double visits = ch.Visits + ch.VirtualLoss * Config.VirtualLoss;
                double q = visits > 0 ? ch.ValueSum / visits : 0;
                double u = Config.CPuct * (ch.Prior / priors) * sqrtN / (1 + visits);
                // Ties go to the older child (higher index = newer, lists run newest first): deterministic.
                if (q + u >= bestScore) { bestScore = q + u; best = c; }
            }
            node = best;
        }
    }

    /// <inheritdoc />
    public override void Backup(SearchAgent agent)
    {
        var tree = agent.Tree;
        foreach (int node in agent.Fresh)
        {
            ref var n = ref tree[node];
            double v = NodeSignal(tree, node, Config.Guidance);
            n.Visits = 1;
            n.ValueSum = v;
            if (n.Complete && n.AnswerText is not null) _answers.Add(node);
            if (Config.StopWhenVerified && Accepts(tree, node))
            {
                agent.Commit(node);
                return;
            }
        }
        if (_rolloutTip >= 0)
        {
            ContinueRollout(agent);
            return;
        }
        foreach (int leaf in _pending)
        {
            if (Config.Rollouts && _rolloutTip < 0 && StartRollout(tree, leaf, agent.Fresh)) continue; // backed up when the rollout ends
            for (int n = leaf; n >= 0; n = tree[n].Parent) tree[n].VirtualLoss--;
            double best = double.NegativeInfinity;
            for (int c = tree[leaf].FirstChild; c >= 0; c = tree[c].NextSibling) best = Math.Max(best, tree[c].Q);
            BackupPath(tree, leaf, double.IsNegativeInfinity(best) ? 0 : best);
            agent.Touch(leaf); // its lines may all have merged into existing children: no new node below it
        }
        _pending.Clear();
        if (_simulations >= Config.MaxSimulations) agent.Commit(Choose(agent));
    }

    // Starts a rollout from the best new, unfinished child of `leaf`; false when every new child has already ended.
    private bool StartRollout(SearchTree tree, int leaf, List<int> fresh)
    {
        int best = -1;
        foreach (int c in fresh)
        {
            if (tree[c].Parent != leaf || tree[c].Complete) continue;
            if (best < 0 || tree[c].Q > tree[best].Q || (tree[c].Q == tree[best].Q && tree[c].Prior > tree[best].Prior)) best = c;
        }
        if (best < 0) return false;
        _rolloutLeaf = leaf;
        _rolloutTip = best;
        return true;
    }

    private void ContinueRollout(SearchAgent agent)
    {
        var tree = agent.Tree;
        foreach (int node in agent.Fresh) _rolloutTip = node;
        if (!tree[_rolloutTip].Complete) return;
        double value = Config.Guidance == Guidance.Confidence
            ? PathScore(tree, _rolloutTip, Guidance.Confidence, null)
            : NodeSignal(tree, _rolloutTip, Config.Guidance);
        for (int n = _rolloutLeaf; n >= 0; n = tree[n].Parent) tree[n].VirtualLoss--;
        // The rollout's own lines keep their own evaluation (one visit each); the expanded leaf and the path above it
        // get the rollout's value.
        BackupPath(tree, _rolloutLeaf, value);
        agent.Touch(_rolloutLeaf);
        _rolloutLeaf = _rolloutTip = -1;
        _pending.Clear();
        if (_simulations >= Config.MaxSimulations) agent.Commit(Choose(agent));
    }

    private static void BackupPath(SearchTree tree, int leaf, double value)
    {
        for (int n = leaf; n >= 0; n = tree[n].Parent)
        {
            tree[n].Visits++;
            tree[n].ValueSum += value;
        }
    }

    /// <inheritdoc />
    public override int Choose(SearchAgent agent)
    {
        var tree = agent.Tree;
        int best = -1;
        foreach (int a in _answers)
        {
            if (best < 0) { best = a; continue; }
            int order = CompareQ(tree[a].Q, tree[best].Q);
            if (order > 0 || (order == 0 && tree[a].Visits > tree[best].Visits)) best = a;
        }
        return best;
    }

    /// <summary>
    /// Compares two mean values, treating values within 1e-9 as equal. Means are sums of backed-up values over visits,
    /// so the same value backed up a different number of times differs in its last bits ((0.7 + 0.7 + 0.7) / 3 ≠ 0.7); an exact
    /// comparison let that rounding pick the answer whenever the values tie (e.g. a policy whose confidence is the same
    /// for every line), instead of the visit counts.
    /// </summary>
    public static int CompareQ(double a, double b) => Math.Abs(a - b) <= 1e-9 ? 0 : a.CompareTo(b);

    /// <summary>The end of the principal variation: from the root, the most-visited child until a leaf.</summary>
    public static int PrincipalLeaf(SearchTree tree)
    {
        int node = 0;
        while (tree[node].FirstChild >= 0)
        {
            int best = -1;
            for (int c = tree[node].FirstChild; c >= 0; c = tree[c].NextSibling)
                if (best < 0 || tree[c].Visits > tree[best].Visits || (tree[c].Visits == tree[best].Visits && tree[c].Q > tree[best].Q)) best = c;
            node = best;
        }
        return node;
    }
}
