using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.IntegrationTests.Infrastructure;

/// <summary>
/// The real server (in-process host) on a fresh database, talking to a fake GitHub on 127.0.0.1.
/// Tests sign real payloads, POST them to the real endpoint, and look at the database and the fake.
/// </summary>
public sealed class GovernorApp : IAsyncLifetime
{
    public const string Secret = SignedDelivery.Secret;
    private WebApplicationFactory<Program>? _factory;
    private readonly Action<IServiceCollection>? _services;
    private readonly Dictionary<string, string?> _settings;

    private readonly Func<GovernorApp, Task>? _seed;
    private readonly Func<GovernorApp, Task>? _previousRelease;

    private readonly bool _kestrel;

    /// <param name="previousRelease">Seeds the data of the previous release on its schema; the server then upgrades it at start.</param>
    /// <param name="kestrel">Serve on a real port of 127.0.0.1 (<see cref="BaseUrl"/>), for a real browser, instead of in memory only.</param>
    public GovernorApp(Action<IServiceCollection>? services = null, Dictionary<string, string?>? settings = null, Func<GovernorApp, Task>? seed = null,
        Func<GovernorApp, Task>? previousRelease = null, bool kestrel = false)
    {
        _kestrel = kestrel;
        _services = services;
        _settings = settings ?? [];
        _seed = seed;
        _previousRelease = previousRelease;
    }

    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource Db { get; private set; } = null!;
    public FakeGitHub GitHub { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public IServiceProvider Services => _factory!.Services;
    public MartenEventStore Store => new(Db);

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync(migrate: false);
        Db = NpgsqlDataSource.Create(ConnectionString);
        GitHub = await FakeGitHub.StartAsync();
        if (_previousRelease is not null)
        {
            await PreviousRelease.ApplySchemaAsync(Db);
            await _previousRelease(this);
        }
        else if (_seed is not null)
        {
            await SchemaMigrator.MigrateAsync(Db);
            await _seed(this);
        }
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:ReleaseGovernor"] = ConnectionString,
            ["GitHub:WebhookSecret"] = Secret,
            ["GitHub:ApiBaseUrl"] = GitHub.BaseUrl,
            ["GitHub:WebBaseUrl"] = GitHub.BaseUrl,
            ["GitHub:Token"] = GitHub.Token,
            ["GitHub:BaseDelay"] = "00:00:00.010",
            ["GitHub:MaxDelay"] = "00:00:00.100",
            ["GitHub:Timeout"] = "00:00:02",
            ["Processing:PollInterval"] = "00:00:00.200",
        };
        foreach (var (k, v) in _settings) settings[k] = v;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (k, v) in settings) b.UseSetting(k, v);
            if (_services is not null) b.ConfigureServices(_services);
        });
        if (_kestrel) _factory.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        Client = _factory.CreateClient();
        if (_kestrel)
            BaseUrl = new Uri(_factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>With <c>kestrel: true</c>, where the server listens; null when it is in memory only.</summary>
    public Uri? BaseUrl { get; private set; }

    /// <summary>Another client of the in-process server (e.g. one that keeps cookies and does not follow redirects).</summary>
    public HttpClient CreateClient(WebApplicationFactoryClientOptions options) => _factory!.CreateClient(options);

    /// <summary>Waits (bounded) until /readyz answers 200.</summary>
    public async Task WaitReadyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await Client.GetAsync("/readyz", timeout.Token)).StatusCode != System.Net.HttpStatusCode.OK)
            await Task.Delay(20, timeout.Token);
    }

    public Task<HttpResponseMessage> PostFixtureAsync(string fixture, string? delivery = null) =>
        PostAsync(fixture.Split('/')[0], Fixtures.Read(fixture), delivery);

    public async Task<HttpResponseMessage> PostAsync(string gitHubEvent, byte[] body, string? delivery = null,
        string? signature = null, string contentType = "application/json", bool sign = true)
    {
        using var request = SignedDelivery.Request(gitHubEvent, body, delivery, signature: signature, contentType: contentType, sign: sign);
        return await Client.SendAsync(request);
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var cmd = Db.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public async Task<IReadOnlyList<string>> EventTypesAsync()
    {
        await using var cmd = Db.CreateCommand("SELECT type FROM mt_events ORDER BY seq_id");
        await using var reader = await cmd.ExecuteReaderAsync();
        var types = new List<string>();
        while (await reader.ReadAsync()) types.Add(reader.GetString(0));
        return types;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        if (GitHub is not null) await GitHub.DisposeAsync();
        if (Db is not null) await Db.DisposeAsync();
    }
}
