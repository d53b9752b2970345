using System.Buffers;

namespace ReleaseGovernor.Server.Webhooks;

/// <summary>
/// Caps the bytes held by deliveries whose signature is not checked yet, across all requests in flight, so
/// bodies nobody signed cannot exhaust memory. A request over the cap waits (its body unread, so TCP holds the
/// sender back) until bytes are returned, for at most <see cref="MaxWait"/>. Large bodies may use only three
/// quarters of the cap: the rest stays free for the small deliveries GitHub normally sends, so they are answered
/// at once even during a flood of large ones.
/// </summary>
public sealed class UnverifiedBodyBudget(long capacity, TimeSpan maxWait)
{
    /// <summary>Bodies up to this size count as small.</summary>
    public const long SmallBodyBytes = 1024 * 1024;

    /// <summary>Bodies are read in chunks of this size (under the large-object threshold).</summary>
    public const int ChunkSize = 64 * 1024;

    private readonly object _gate = new();
    private long _inUse;
    private long _peak;
    private TaskCompletionSource _returned = NewSignal();

    public long Capacity { get; } = capacity;

    /// <summary>
    /// The chunks bodies are read into, kept for reuse: the cap bounds how many are out at once, so after the first
    /// flood no chunk is allocated again and nothing is left for the garbage collector to catch up with.
    /// </summary>
    public ArrayPool<byte> Chunks { get; } = ArrayPool<byte>.Create(ChunkSize, (int)Math.Clamp(capacity / ChunkSize + 16, 16, 1 << 16));
    /// <summary>
    /// Whole-body buffers for the signature check (the library's validator takes the body in one span). Only bodies
    /// this budget let in are copied, so as many as are in flight at once are kept for reuse, never more.
    /// </summary>
    public ArrayPool<byte> WholeBodies { get; } = ArrayPool<byte>.Create((int)WebhookOptions.MaxBodyBytes + 1,
        (int)Math.Clamp(capacity / SmallBodyBytes, 2, 64));

    public TimeSpan MaxWait { get; } = maxWait;
    public long InUse { get { lock (_gate) return _inUse; } }

    /// <summary>The most bytes held at once since start.</summary>
    public long Peak { get { lock (_gate) return _peak; } }

    /// <summary>Takes <paramref name="bytes"/>, waiting for room up to <see cref="MaxWait"/>; false (nothing taken) when none came.</summary>
    public async Task<bool> TakeAsync(long bytes, bool large, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(MaxWait);
        while (true)
        {
            Task returned;
            lock (_gate)
            {
                var limit = large ? Capacity - Capacity / 4 : Capacity;
                // A body larger than the whole limit is let through alone rather than never.
                if (_inUse + bytes <= limit || _inUse == 0)
                {
                    _inUse += bytes;
                    _peak = Math.Max(_peak, _inUse);
                    return true;
                }
                returned = _returned.Task;
            }
            try
            {
                await returned.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    public void Return(long bytes)
    {
        if (bytes == 0) return;
        TaskCompletionSource signal;
        lock (_gate)
        {
            _inUse -= bytes;
            signal = _returned;
            _returned = NewSignal();
        }
        signal.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
