using System.Diagnostics;
using Jint;

namespace Sim.Environments.Code;

/// <summary>
/// A wall-time limit for a whole sandboxed run. Jint's own <c>TimeoutInterval</c> restarts its clock (and a timer) on
/// every script execution and every function call, which costs tens of microseconds per test and resets the budget
/// per call; this one is set once per run, reads the monotonic clock, and may be checked every few statements.
/// </summary>
internal sealed class DeadlineConstraint(TimeSpan budget) : Constraint
{
    private readonly long _deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);

    /// <inheritdoc />
    public override bool IsAmortizable => true;

    /// <inheritdoc />
    public override void Check()
    {
        if (Stopwatch.GetTimestamp() > _deadline) throw new TimeoutException("time limit reached");
    }

    /// <inheritdoc />
    public override void Reset()
    {
        // The budget covers the whole run, not each call.
    }
}
