namespace ReleaseGovernor.IntegrationTests.Fakes;

/// <summary>
/// A clock that moves only when told to. Timers (Task.Delay, CancelAfter, Polly delays) fire on
/// <see cref="Advance"/>. <see cref="WaitForTimerAsync"/> awaits a timer being scheduled, so a test can
/// see the delay a component chose and then release it.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<TimeSpan> _scheduled = [];
    private readonly List<(Func<TimeSpan, bool> Predicate, TaskCompletionSource<TimeSpan> Signal)> _waiters = [];
    private DateTimeOffset _now = start;

    /// <summary>Starts at the current second (whole seconds keep epoch-second headers exact).</summary>
    public ManualTimeProvider() : this(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds())) { }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Every due time scheduled so far, in order.</summary>
    public IReadOnlyList<TimeSpan> ScheduledDelays
    {
        get { lock (_gate) return [.. _scheduled]; }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate) _now += by;
        while (true)
        {
            ManualTimer? due;
            lock (_gate)
            {
                due = _timers.Where(t => t.DueAt <= _now).MinBy(t => t.DueAt);
                if (due is null) break;
                if (due.Period is { } period) due.DueAt += period;
                else _timers.Remove(due);
            }
            due.Fire();
        }
    }

    /// <summary>Completes when a timer with a due time matching <paramref name="predicate"/> is (or was) scheduled.</summary>
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

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        List<(TaskCompletionSource<TimeSpan> Signal, TimeSpan Due)> matched = [];
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan) return;
            timer.DueAt = _now + dueTime;
            timer.Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
            _timers.Add(timer);
            _scheduled.Add(dueTime);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Predicate(dueTime)) continue;
                matched.Add((_waiters[i].Signal, dueTime));
                _waiters.RemoveAt(i);
            }
        }
        foreach (var (signal, due) in matched) signal.TrySetResult(due);
    }

    private void Remove(ManualTimer timer)
    {
        lock (_gate) _timers.Remove(timer);
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }
        public TimeSpan? Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime, period);
            if (dueTime == TimeSpan.Zero) owner.Advance(TimeSpan.Zero);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
