namespace ReleaseGovernor.Testing.Fakes;

/// <summary>Thread-safe list of received requests with awaitable arrival (no polling).</summary>
public sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<(Func<RecordedRequest, bool> Predicate, TaskCompletionSource<RecordedRequest> Signal)> _waiters = [];

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate) return [.. _requests];
    }

    public void Add(RecordedRequest request)
    {
        List<TaskCompletionSource<RecordedRequest>> matched = [];
        lock (_gate)
        {
            _requests.Add(request);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Predicate(request)) continue;
                matched.Add(_waiters[i].Signal);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var signal in matched) signal.TrySetResult(request);
    }

    /// <summary>The first request (already received or still to come) matching <paramref name="predicate"/>.</summary>
    public async Task<RecordedRequest> WaitForAsync(Func<RecordedRequest, bool> predicate, TimeSpan timeout)
    {
        var signal = new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = (predicate, signal);
        lock (_gate)
        {
            var existing = _requests.FirstOrDefault(predicate);
            if (existing is not null) return existing;
            _waiters.Add(waiter);
        }
        try
        {
            return await signal.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_gate) _waiters.Remove(waiter);
            throw new TimeoutException(
                $"No matching request within {timeout}. Received: {string.Join(", ", Snapshot())}");
        }
    }
}
