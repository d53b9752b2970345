using System.Collections;
using Microsoft.Extensions.Logging;
using ReleaseGovernor.Core.Text;

namespace ReleaseGovernor.Processing.Observability;

/// <summary>
/// The log scope of work done for one delivery: <c>DeliveryId</c> and <c>Repository</c> on every line logged inside it
/// (the JSON console formatter writes them under <c>Scopes</c>). Values are cleaned of control characters: the
/// delivery id is the sender's header.
/// </summary>
public static class LogScopes
{
    public const string DeliveryId = "DeliveryId";
    public const string Repository = "Repository";

    /// <summary>A scope whose repository can be filled in once it is known (a webhook knows it after reading the payload).</summary>
    public static DeliveryScope BeginDelivery(ILogger log, string? deliveryId, string? repository = null)
    {
        var scope = new DeliveryScope(deliveryId, repository);
        scope.Handle = log.BeginScope(scope);
        return scope;
    }
}

public sealed class DeliveryScope : IReadOnlyList<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string? _deliveryId;

    internal DeliveryScope(string? deliveryId, string? repository)
    {
        _deliveryId = deliveryId is { Length: > 0 } ? SafeText.Clean(deliveryId) : null;
        Repository = repository;
    }

    internal IDisposable? Handle { get; set; }

    public string? Repository
    {
        get;
        set => field = value is { Length: > 0 } ? SafeText.Clean(value) : null;
    }

    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(LogScopes.DeliveryId, _deliveryId),
        1 => new(LogScopes.Repository, Repository),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"delivery {_deliveryId ?? "-"} repo {Repository ?? "-"}";

    public void Dispose() => Handle?.Dispose();
}
