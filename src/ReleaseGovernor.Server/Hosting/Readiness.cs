namespace ReleaseGovernor.Server.Hosting;

/// <summary>Flips once, when migrations and startup recovery are done. Until then /readyz and the webhook route answer 503.</summary>
public sealed class Readiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompleted;
    public Task WhenReady => _ready.Task;
    public string Stage { get; private set; } = "starting";

    public void Report(string stage) => Stage = stage;

    public void MarkReady()
    {
        Stage = "ready";
        _ready.TrySetResult();
    }
}
