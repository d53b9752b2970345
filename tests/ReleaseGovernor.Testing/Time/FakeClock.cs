using Microsoft.Extensions.Time.Testing;

namespace ReleaseGovernor.Testing.Time;

/// <summary>
/// <see cref="FakeTimeProvider"/> (time moves on <c>Advance</c>, timers fire then) that also lets a test see which delay a
/// component chose: <see cref="WaitForTimerAsync"/> completes when a timer with a matching due time is created. The library
/// does not expose its pending timers, so the due times are noted here as timers are created.
/// </summary>
public sealed class FakeClock : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _scheduled = [];
    private readonly List<(Func<TimeSpan, bool> Predicate, TaskCompletionSource<TimeSpan> Signal)> _waiters = [];

    /// <summary>Starts at the current second (whole seconds keep epoch-second headers exact).</summary>
    public FakeClock() : base(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds())) { }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime == Timeout.InfiniteTimeSpan) return timer;
        List<TaskCompletionSource<TimeSpan>> matched = [];
        lock (_gate)
        {
            _scheduled.Add(dueTime);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Predicate(dueTime)) continue;
                matched.Add(_waiters[i].Signal);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var signal in matched) signal.TrySetResult(dueTime);
        return timer;
    }

    /// <summary>Completes when a timer with a due time matching <paramref name="predicate"/> is (or was) created.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> predicate, TimeSpan timeout)
    {
        var signal = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var due in _scheduled)
                if (predicate(due)) return due;
            _waiters.Add((predicate, signal));
        }
        return await signal.Task.WaitAsync(timeout);
    }
}
