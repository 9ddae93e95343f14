using System.Runtime.InteropServices;

namespace Sim.Replay;

/// <summary>
/// Moves the calling thread to Linux's idle scheduling class (<c>SCHED_IDLE</c>): it then runs only on a core that no
/// ordinary thread wants, and an ordinary thread that wakes up takes the core from it at once. That is what a replay
/// writer should be: free on a core the simulation leaves idle, never in the way of a parallel stage. A lower nice value
/// is not enough: a niced thread keeps a core for its time slice (milliseconds) when a simulation worker wakes up, and
/// the whole parallel stage waits for that worker while the others spin. .NET's <see cref="Thread.Priority"/> is not
/// applied on Linux, hence the system calls; no privilege is needed to lower a thread's own class.
/// </summary>
internal static partial class IdleScheduling
{
    private const int SchedIdle = 5;
    private const int PrioProcess = 0;
    private const long SysGettid = 186; // x86-64 system call number

    /// <summary>
    /// Puts the calling thread in <c>SCHED_IDLE</c>, or, where that is refused, at nice 19. Returns true when either
    /// took effect; elsewhere than x86-64 Linux it does nothing and returns false.
    /// </summary>
    public static bool TryCurrentThread()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return false;
        try
        {
            int priority = 0; // struct sched_param { int sched_priority; }, 0 for SCHED_IDLE
            if (sched_setscheduler(0, SchedIdle, ref priority) == 0) return true; // pid 0: the calling thread
            int tid = (int)syscall(SysGettid);
            return tid > 0 && setpriority(PrioProcess, (uint)tid, 19) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setscheduler(int pid, int policy, ref int param);

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, uint who, int prio);
}
