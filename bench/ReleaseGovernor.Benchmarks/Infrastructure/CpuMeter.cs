using System.Globalization;

namespace ReleaseGovernor.Benchmarks.Infrastructure;

/// <summary>CPU seconds used so far, per party (Linux /proc; null where it cannot be read).</summary>
public sealed record CpuSample(double? Server, double? Postgres, double Benchmark, double BenchmarkChildren, double? Machine)
{
    public CpuSample Minus(CpuSample before) => new(
        Server - before.Server, Postgres - before.Postgres, Benchmark - before.Benchmark,
        BenchmarkChildren - before.BenchmarkChildren, Machine - before.Machine);
}

/// <summary>
/// Where the CPU went during a phase: the server process, PostgreSQL (the postmaster, its live backends, and the backends
/// that ended, through the postmaster's children times), this process (load generator and fake GitHub), the programs it
/// ran and waited for (pgbench), and the whole machine (others' builds share its cores).
/// </summary>
public sealed class CpuMeter(Func<int?> serverPid, Func<int?> postmasterPid)
{
    private const double TicksPerSecond = 100.0; // USER_HZ on Linux

    public CpuSample Sample()
    {
        var self = Stat(Environment.ProcessId);
        double? postgres = null;
        if (postmasterPid() is { } pm && Stat(pm) is { } master)
        {
            var children = Directory.Exists("/proc")
                ? Directory.EnumerateDirectories("/proc")
                    .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
                    .Where(pid => pid > 0 && pid != pm)
                    .Select(Stat).Where(s => s is not null && s.Value.ParentPid == pm)
                    .Sum(s => s!.Value.Own)
                : 0;
            postgres = (master.Own + master.Children + children) / TicksPerSecond;
        }
        return new CpuSample(
            serverPid() is { } sp && Stat(sp) is { } server ? server.Own / TicksPerSecond : null,
            postgres,
            (self?.Own ?? 0) / TicksPerSecond,
            (self?.Children ?? 0) / TicksPerSecond,
            MachineBusy() / TicksPerSecond);
    }

    /// <summary>The share of the machine's CPU that other processes took during <paramref name="elapsed"/>, or null.</summary>
    public static double? OthersShare(CpuSample used, TimeSpan elapsed, bool countChildren)
    {
        if (used.Machine is not { } m) return null;
        var ours = (used.Postgres ?? 0) + (used.Server ?? 0) + used.Benchmark + (countChildren ? used.BenchmarkChildren : 0);
        return Math.Clamp((m - ours) / (elapsed.TotalSeconds * Environment.ProcessorCount), 0, 1);
    }

    /// <summary>One line: who used how many of the core-seconds the machine had during <paramref name="elapsed"/>.</summary>
    public static string Describe(CpuSample used, TimeSpan elapsed, string benchmarkName, string? childName)
    {
        var available = elapsed.TotalSeconds * Environment.ProcessorCount;
        var parts = new List<string>();
        if (used.Postgres is { } pg) parts.Add($"PostgreSQL {pg:0.0}");
        if (used.Server is { } s && s > 0.05) parts.Add($"server {s:0.0}");
        parts.Add($"{benchmarkName} {used.Benchmark:0.0}");
        if (childName is not null) parts.Add($"{childName} {used.BenchmarkChildren:0.0}");
        if (used.Machine is { } m)
        {
            var ours = (used.Postgres ?? 0) + (used.Server ?? 0) + used.Benchmark + (childName is null ? 0 : used.BenchmarkChildren);
            parts.Add($"everything else {Math.Max(0, m - ours):0.0}");
            parts.Add($"idle {Math.Max(0, available - m):0.0}");
        }
        return $"CPU core-seconds of {available:0.0} available: {string.Join(", ", parts)}";
    }

    private readonly record struct ProcStat(int ParentPid, long Own, long Children);

    private static ProcStat? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state ppid ... utime(14) stime(15) cutime(16) cstime(17), counted from field 3 = index 0.
            long F(int field) => long.Parse(fields[field - 3], CultureInfo.InvariantCulture);
            return new ProcStat((int)F(4), F(14) + F(15), F(16) + F(17));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static double? MachineBusy()
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal (guest time is already inside user)
            return cpu.Take(8).Sum() - cpu[3] - cpu[4];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
