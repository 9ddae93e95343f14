namespace Sim.Environments;

/// <summary>
/// Calls an environment so that its faults are verdicts, attributed to it: an exception from the environment's
/// verifier, a NaN or infinite reward, a process reward outside its declared <see cref="IEnvironment.ProcessRewardRange"/>,
/// or an outcome reward (or gold reward) outside [0, 1] becomes an <see cref="VerdictKind.EnvironmentError"/> verdict
/// whose reason names the environment and the call. The caller's own mistake, a problem of another environment, still
/// throws its <see cref="ArgumentException"/>; an <see cref="ArgumentException"/> on the environment's own problem (an
/// out-of-range index in its parser, say) is its fault like any other. <see cref="TaskEnvironment{TSpec, TState}"/> calls it
/// for every subclass; callers of an environment that implements <see cref="IEnvironment"/> directly call it themselves.
/// </summary>
public static class EnvironmentGuard
{
    /// <summary><see cref="IEnvironment.CheckStep"/> with the environment's faults as verdicts.</summary>
    public static StepVerdict CheckStep(IEnvironment env, Problem problem, EnvState state, string step)
    {
        // A TaskEnvironment guards itself; checking twice would only cost time.
        if (env is IGuardedEnvironment) return env.CheckStep(problem, state, step);
        StepVerdict v;
        try { v = env.CheckStep(problem, state, step); }
        catch (ArgumentException) when (problem.Env != env.Name) { throw; }
        catch (Exception ex) when (ex is not OutOfMemoryException) { return StepFault(env.Name, ex, state); }
        return Validate(env.Name, env.ProcessRewardRange, v, state);
    }

    /// <summary><see cref="IEnvironment.CheckAnswer"/> with the environment's faults as verdicts.</summary>
    public static AnswerVerdict CheckAnswer(IEnvironment env, Problem problem, string answer)
    {
        if (env is IGuardedEnvironment) return env.CheckAnswer(problem, answer);
        AnswerVerdict v;
        try { v = env.CheckAnswer(problem, answer); }
        catch (ArgumentException) when (problem.Env != env.Name) { throw; }
        catch (Exception ex) when (ex is not OutOfMemoryException) { return AnswerFault(env.Name, ex); }
        return Validate(env.Name, v);
    }

    /// <summary>The verdict for a step verifier that threw <paramref name="ex"/>.</summary>
    public static StepVerdict StepFault(string env, Exception ex, EnvState state) =>
        StepVerdict.Reject(VerdictKind.EnvironmentError, $"environment '{env}' failed in CheckStep: {ex.GetType().Name}: {OneLine(ex.Message)}", state);

    /// <summary>The verdict for an answer verifier that threw <paramref name="ex"/>.</summary>
    public static AnswerVerdict AnswerFault(string env, Exception ex) =>
        AnswerVerdict.Wrong(VerdictKind.EnvironmentError, $"environment '{env}' failed in CheckAnswer: {ex.GetType().Name}: {OneLine(ex.Message)}");

    /// <summary><paramref name="v"/>, or an <see cref="VerdictKind.EnvironmentError"/> verdict when its process reward
    /// is not finite or outside <paramref name="range"/>, or it has no next state.</summary>
    public static StepVerdict Validate(string env, RewardRange range, in StepVerdict v, EnvState state)
    {
        if (double.IsFinite(v.ProcessReward) && range.Contains(v.ProcessReward) && v.State is not null) return v;
        string what = v.State is null ? "no next state" : $"process reward {v.ProcessReward} (declared range [{range.Min}, {range.Max}])";
        return StepVerdict.Reject(VerdictKind.EnvironmentError, $"environment '{env}' failed in CheckStep: it returned {what}", state);
    }

    /// <summary><paramref name="v"/>, or an <see cref="VerdictKind.EnvironmentError"/> verdict when its outcome reward,
    /// score or gold reward is not a finite number in [0, 1].</summary>
    public static AnswerVerdict Validate(string env, in AnswerVerdict v)
    {
        static bool Unit(double x) => double.IsFinite(x) && x >= 0 && x <= 1;
        if (Unit(v.Reward) && Unit(v.Score) && (v.GoldReward is not { } g || Unit(g))) return v;
        string what = !Unit(v.Reward) ? $"outcome reward {v.Reward}" : !Unit(v.Score) ? $"score {v.Score}" : $"gold reward {v.GoldReward}";
        return AnswerVerdict.Wrong(VerdictKind.EnvironmentError, $"environment '{env}' failed in CheckAnswer: it returned {what} (outside [0, 1])");
    }

    /// <summary>The first line of <paramref name="message"/>.</summary>
    internal static string OneLine(string message)
    {
        int nl = message.IndexOfAny(['\r', '\n']);
        return nl < 0 ? message : message[..nl];
    }
}
