using System.Net.Sockets;
using Npgsql;

namespace ReleaseGovernor.Server.Hosting;

/// <summary>
/// Sorts failures talking to PostgreSQL: an outage (unreachable, refusing, shutting down, timing out), which a
/// retry can cure and is answered 503 with Retry-After, from a value PostgreSQL refuses to store (SQLSTATE class
/// 22, data exception), which no retry can cure and is the request's fault.
/// </summary>
public static class DatabaseFailures
{
    /// <summary>Seconds a caller should wait after an outage before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    public static bool IsBadValue(Exception e) => Find<PostgresException>(e) is { } pg && pg.SqlState.StartsWith("22", StringComparison.Ordinal);

    public static bool IsOutage(Exception e) => !IsBadValue(e) && IsDatabaseFailure(e);

    public static string SqlState(Exception e) => Find<PostgresException>(e)?.SqlState ?? "-";

    private static bool IsDatabaseFailure(Exception e) =>
        e is NpgsqlException or TimeoutException or SocketException or IOException
        || (e.InnerException is { } inner && IsDatabaseFailure(inner));

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }
}
