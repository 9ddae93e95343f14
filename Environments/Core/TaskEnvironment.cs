namespace Sim.Environments;

/// <summary>
/// A typed base for environments: subclasses work with their own problem spec <typeparamref name="TSpec"/> and state
/// <typeparamref name="TState"/> and get the <see cref="IEnvironment"/> plumbing (type checks, the step-length guard,
/// catching their own bugs as verdicts) for free. See <c>docs/writing-environments.md</c> for a worked example.
/// </summary>
/// <typeparam name="TSpec">The parsed problem parameters (kept in <see cref="Problem.Spec"/>).</typeparam>
/// <typeparam name="TState">The immutable state.</typeparam>
public abstract class TaskEnvironment<TSpec, TState> : IGuardedEnvironment, ITimedEnvironment
    where TSpec : class
    where TState : EnvState
{
    /// <summary>How long the verifier takes, sampled (<see cref="VerifierTimings"/>): a run warns when calls exceed its limit.</summary>
    public VerifierTimings Timings { get; } = new();

    /// <summary>Steps and answers longer than this many characters are <see cref="VerdictKind.Malformed"/> without being parsed.</summary>
    public virtual int MaxTextLength => 4096;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public abstract DifficultySpec Difficulty { get; }

    /// <inheritdoc />
    public virtual RewardRange ProcessRewardRange => RewardRange.Unit;

    /// <inheritdoc />
    public virtual bool HasReferenceSolver => true;

    /// <inheritdoc />
    public abstract Problem Sample(ulong seed, int difficulty);

    /// <inheritdoc />
    public abstract Problem Load(ProblemRecord record);

    /// <summary>The initial state of a problem.</summary>
    protected abstract TState Start(TSpec spec);

    /// <summary>Checks one step; <paramref name="step"/> is already bounded by <see cref="MaxTextLength"/>.</summary>
    protected abstract StepVerdict CheckStep(TSpec spec, TState state, string step);

    /// <summary>Checks an answer; <paramref name="answer"/> is already bounded by <see cref="MaxTextLength"/>.</summary>
    protected abstract AnswerVerdict CheckAnswer(TSpec spec, string answer);

    /// <summary>The reference solver; returns null by default (no solver).</summary>
    protected virtual Solution? Solve(TSpec spec) => null;

    /// <summary>The typed spec of a problem made by this environment.</summary>
    protected TSpec SpecOf(Problem problem) =>
        problem.Spec as TSpec ?? throw new ArgumentException($"problem '{problem.Id}' belongs to '{problem.Env}', not to '{Name}'");

    /// <inheritdoc />
    public EnvState Start(Problem problem)
    {
        var spec = SpecOf(problem);
        // A subclass's bug here has no verdict to become: it is an exception that names the environment.
        try { return Start(spec); }
        catch (Exception ex) when (ex is not (OutOfMemoryException or EnvironmentFaultException))
        {
            throw new EnvironmentFaultException($"environment '{Name}' failed in Start: {ex.GetType().Name}: {EnvironmentGuard.OneLine(ex.Message)}", ex);
        }
    }

    /// <inheritdoc />
    public StepVerdict CheckStep(Problem problem, EnvState state, string stepText)
    {
        var spec = SpecOf(problem);
        if (state is not TState typed) throw new ArgumentException($"state {state?.GetType().Name ?? "null"} does not belong to '{Name}'");
        if (stepText is null) return StepVerdict.Reject(VerdictKind.Malformed, "empty step", state);
        if (stepText.Length > MaxTextLength)
            return StepVerdict.Reject(VerdictKind.Malformed, $"step longer than {MaxTextLength} characters", state);
        // The subclass's bugs are verdicts attributed to it, never a crash of the caller (EnvironmentGuard).
        StepVerdict v;
        long t0 = Timings.Start();
        try { v = CheckStep(spec, typed, stepText); }
        catch (Exception ex) when (ex is not OutOfMemoryException) { return EnvironmentGuard.StepFault(Name, ex, state); }
        finally { Timings.Stop(t0); }
        return EnvironmentGuard.Validate(Name, ProcessRewardRange, v, state);
    }

    /// <inheritdoc />
    public AnswerVerdict CheckAnswer(Problem problem, string answerText)
    {
        var spec = SpecOf(problem);
        if (answerText is null) return AnswerVerdict.Wrong(VerdictKind.Malformed, "empty answer");
        if (answerText.Length > MaxTextLength)
            return AnswerVerdict.Wrong(VerdictKind.Malformed, $"answer longer than {MaxTextLength} characters");
        AnswerVerdict v;
        long t0 = Timings.Start();
        try { v = CheckAnswer(spec, answerText); }
        catch (Exception ex) when (ex is not OutOfMemoryException) { return EnvironmentGuard.AnswerFault(Name, ex); }
        finally { Timings.Stop(t0); }
        return EnvironmentGuard.Validate(Name, v);
    }

    /// <inheritdoc />
    public Solution? Solve(Problem problem) => Solve(SpecOf(problem));

    /// <inheritdoc />
    public override string ToString() => Name;
}
