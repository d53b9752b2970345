using System.Globalization;

namespace ReleaseGovernor.Benchmarks;

/// <summary>A problem the benchmark cannot go on with; the message says what went wrong and what to do.</summary>
public sealed class BenchmarkException(string message) : Exception(message);

/// <summary>Command-line options. Every phase has a full and a <c>--quick</c> size.</summary>
public sealed record BenchOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/ReleaseGovernor.Benchmarks -- [options]

          --db CONN          PostgreSQL connection string of a THROWAWAY database to use (it is filled with
                             benchmark data; the rebuild phase creates and drops a database beside it, so the
                             user needs CREATEDB). Default: a temporary PostgreSQL cluster started here.
          --seconds N        length of the ingest phase, for pgbench and for the server (default 30; quick 5)
          --concurrency N    pgbench clients and in-flight HTTP deliveries in the ingest phase (default 32)
          --dispatch-rate N  verification deliveries per second in the decision-to-dispatch phase (default 25)
          --quick            shorten every phase for a smoke run (5 s, 50 shas, 20,000 events)
          --only LIST        run only these phases, e.g. --only 1,3 (1 ingest + 5 memory, 2 steady rate,
                             3 decision to dispatch, 4 rebuild, 6 unsigned flood: 64 concurrent 24 MB
                             bodies with a bogus signature, 7 one repository's flood against another's
                             verifications, 8 decision to dispatch with a short and a long release
                             stream history, 9 ingest with metrics and traces on vs off;
                             default: all)
          --help             show this text
        """;

    public string? Db { get; init; }
    public bool Quick { get; init; }
    public int IngestSeconds { get; init; } = 30;
    public int WarmupSeconds { get; init; } = 3;
    public int Concurrency { get; init; } = 32;
    public int Repositories { get; init; } = 200;
    public int SteadyRate { get; init; } = 200;
    public int SteadySeconds { get; init; } = 30;
    public int DispatchShas { get; init; } = 500;
    public int DispatchRate { get; init; } = 25;
    public int RebuildEvents { get; init; } = 200_000;
    public int FloodDeliveries { get; init; } = 5_000;
    public int HistoryShortEvents { get; init; } = 100;
    public int HistoryLongEvents { get; init; } = 120_000;
    public int HistorySamples { get; init; } = 100;
    public int FloodMinSamples { get; init; } = 20;
    public bool Help { get; init; }
    public IReadOnlySet<int> Phases { get; init; } = new HashSet<int> { 1, 2, 3, 4, 6, 7, 8, 9 };

    public bool Runs(int phase) => Phases.Contains(phase);

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        string? db = null;
        int? seconds = null, concurrency = null, dispatchRate = null;
        bool quick = false, help = false;
        HashSet<int>? only = null;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count
                ? args[++i]
                : throw new BenchmarkException($"{args[i]} needs a value.\n{Usage}");
            int Positive(string name)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw new BenchmarkException($"{name} must be a positive whole number, not '{text}'.");
            }
            switch (args[i])
            {
                case "--db": db = Value(); break;
                case "--seconds": seconds = Positive("--seconds"); break;
                case "--concurrency": concurrency = Positive("--concurrency"); break;
                case "--dispatch-rate": dispatchRate = Positive("--dispatch-rate"); break;
                case "--quick": quick = true; break;
                case "--only":
                    var list = Value();
                    only = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 9
                            ? (n == 5 ? 1 : n)
                            : throw new BenchmarkException($"--only takes phase numbers 1 to 9 separated by commas, not '{list}'."))
                        .ToHashSet();
                    break;
                case "--help" or "-h": help = true; break;
                default: throw new BenchmarkException($"Unknown option '{args[i]}'.\n{Usage}");
            }
        }

        var options = quick
            ? new BenchOptions
            {
                Quick = true, IngestSeconds = 5, WarmupSeconds = 1, SteadySeconds = 5, DispatchShas = 50, RebuildEvents = 20_000,
                FloodDeliveries = 1_000, FloodMinSamples = 10, HistoryLongEvents = 12_000, HistorySamples = 20,
            }
            : new BenchOptions();
        return options with
        {
            Db = db,
            Help = help,
            IngestSeconds = seconds ?? options.IngestSeconds,
            Concurrency = concurrency ?? options.Concurrency,
            Phases = only ?? options.Phases,
            DispatchRate = dispatchRate ?? options.DispatchRate,
        };
    }
}
