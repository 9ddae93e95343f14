using System.Runtime.InteropServices;

namespace Sim.Replay;

/// <summary>
/// Lowers the calling thread's scheduling priority. .NET's <see cref="Thread.Priority"/> is not applied on Linux, but
/// Linux schedules threads individually, so <c>setpriority(PRIO_PROCESS, tid, nice)</c> on the thread's own id lowers
/// just that thread (no privilege is needed to lower a priority). Elsewhere, or when the call fails, nothing changes.
/// </summary>
internal static partial class ThreadNice
{
    private const int PrioProcess = 0;
    private const long SysGettid = 186; // x86-64; other architectures fall back to leaving the priority alone

    /// <summary>Sets the calling thread's nice value to <paramref name="nice"/> (0..19); true when it took effect.</summary>
    public static bool TryLowerCurrentThread(int nice)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || nice <= 0) return false;
        try
        {
            int tid = (int)syscall(SysGettid);
            return tid > 0 && setpriority(PrioProcess, (uint)tid, Math.Min(nice, 19)) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, uint who, int prio);
}
