using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

/// <summary>
/// What the end-to-end governor tests share: a real server on a fresh database, the fake GitHub's <c>octo-org/web</c>,
/// its production release stream, and reads of what was recorded there.
/// </summary>
public abstract class GovernedRepoTests : IAsyncLifetime
{
    protected const string Repo = "octo-org/web";
    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    protected static readonly string Release = StreamIds.Release(RepoRef.Parse(Repo), "production");
    protected readonly GovernorApp _app = new();
    protected FakeRepo _gh = null!;

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
        _gh = _app.GitHub.Repo("octo-org", "web");
        Arrange();
    }

    /// <summary>What the repository holds before each test.</summary>
    protected abstract void Arrange();

    public Task DisposeAsync() => _app.DisposeAsync();

    protected static DeployDecided LastDecision(IEnumerable<ReleaseEvent> events) => events.OfType<DeployDecided>().Last();

    /// <summary>The events of the production release stream, oldest first.</summary>
    protected async Task<List<ReleaseEvent>> ReleaseAsync() => [.. (await _app.Store.ReadStreamAsync(Release)).Select(e => e.Data)];
}
