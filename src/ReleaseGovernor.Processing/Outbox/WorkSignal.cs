namespace ReleaseGovernor.Processing.Outbox;

/// <summary>Wakes the outbox workers at once when new work was committed in this process (others poll).</summary>
public sealed class WorkSignal
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void Notify() => _signal.Release();

    /// <summary>Waits for a notification or the poll interval, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan pollInterval, CancellationToken ct)
    {
        await _signal.WaitAsync(pollInterval, ct);
        while (_signal.CurrentCount > 0 && _signal.Wait(0)) { }
    }
}
