using Sim.Agents.Policies;
using Sim.Environments;

namespace Sim.Agents.Learning;

/// <summary>Mines step-level preference pairs from the search trees that trajectories form.</summary>
public static class PreferencePairs
{
    /// <summary>
    /// The trajectories of one problem share a root; their steps form a tree in which a node's children are the
    /// distinct steps written after the same lines. For every node with both a verified child (a valid step after which
    /// the task is still solvable, or a correct answer) and a refuted child (an invalid step, a dead end, or a wrong
    /// answer), each verified child is paired with each refuted child, at most <paramref name="maxPerNode"/> pairs per
    /// node, in first-seen order.
    /// </summary>
    public static List<StepPreference> FromTrees(IReadOnlyList<Trajectory> trajectories, int maxPerNode = 4)
    {
        var pairs = new List<StepPreference>();
        // Node key: problem id + the lines before the step. Children keep first-seen order (deterministic).
        var children = new Dictionary<string, List<(ExperienceStep Step, bool Good, bool Bad)>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var t in trajectories)
        {
            var prefix = new System.Text.StringBuilder(t.Problem.Id).Append('\u0001').Append(t.Hint);
            for (int i = 0; i < t.Steps.Count; i++)
            {
                var s = t.Steps[i];
                string key = prefix.ToString();
                if (!children.TryGetValue(key, out var list)) { children[key] = list = []; order.Add(key); }
                if (s.Units.Length > 0 && !list.Any(c => c.Step.Text == s.Text))
                {
                    bool answer = s.Kind == StepKind.Answer;
                    bool good = answer ? t.Correct : s.Verdict == VerdictKind.Ok && s.Solvable == Solvability.Yes;
                    bool bad = answer ? !t.Correct : s.Verdict != VerdictKind.Ok || s.Solvable == Solvability.No;
                    list.Add((s, good, bad));
                }
                prefix.Append('\n').Append(s.Text);
            }
        }
        foreach (var key in order)
        {
            var list = children[key];
            int made = 0;
            foreach (var g in list.Where(c => c.Good))
                foreach (var b in list.Where(c => c.Bad))
                    if (made++ < maxPerNode) pairs.Add(new StepPreference(g.Step, b.Step));
        }
        return pairs;
    }
}
