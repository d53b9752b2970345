using System.Diagnostics;

namespace ReleaseGovernor.Testing.Hosting;

/// <summary>
/// Last resort against processes outliving the tests: every process a test starts is registered here, and whatever
/// is still running when the test run ends (or when <see cref="EndAll"/> is called) is killed with its whole tree.
/// Tests still end their own processes in <c>finally</c> / <c>await using</c>; this catches what a bug lets through.
/// </summary>
public static class ProcessGuard
{
    private static readonly HashSet<Process> Running = [];

    static ProcessGuard()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => EndAll();
    }

    /// <summary>Registers a started process; returns it.</summary>
    public static Process Track(Process process)
    {
        lock (Running) Running.Add(process);
        return process;
    }

    /// <summary>Kills the process's tree (when still running), waits for it, and forgets it.</summary>
    public static void End(Process process)
    {
        lock (Running) Running.Remove(process);
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Never started, or already disposed.
        }
    }

    /// <summary>Ends every process still registered; returns how many were running.</summary>
    public static int EndAll()
    {
        List<Process> all;
        lock (Running) all = [.. Running];
        var ended = 0;
        foreach (var process in all)
        {
            try { if (!process.HasExited) ended++; }
            catch (InvalidOperationException) { }
            End(process);
        }
        return ended;
    }
}
