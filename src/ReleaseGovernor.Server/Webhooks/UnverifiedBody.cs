using Microsoft.AspNetCore.Http.Features;

namespace ReleaseGovernor.Server.Webhooks;

/// <summary>How reading a delivery's body ended.</summary>
public enum BodyReadStatus { Read, TooLarge, Busy }

/// <summary>
/// A delivery's body read in pooled chunks, charged to the <see cref="UnverifiedBodyBudget"/> until disposed.
/// </summary>
public sealed class UnverifiedBody : IDisposable
{
    private const int ChunkSize = UnverifiedBodyBudget.ChunkSize;
    private readonly List<byte[]> _chunks = [];
    private readonly UnverifiedBodyBudget _budget;
    private long _charged;
    private int _lastChunkLength;

    private UnverifiedBody(UnverifiedBodyBudget budget) => _budget = budget;

    public long Length { get; private set; }

    public static async Task<(BodyReadStatus Status, UnverifiedBody? Body)> ReadAsync(HttpContext http, UnverifiedBodyBudget budget,
        long maxBytes, CancellationToken ct)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;
        var body = new UnverifiedBody(budget);
        var declared = http.Request.ContentLength;
        if (declared is { } length)
        {
            if (!await budget.TakeAsync(length, large: length > UnverifiedBodyBudget.SmallBodyBytes, ct)) return (BodyReadStatus.Busy, null);
            body._charged = length;
        }

        try
        {
            while (true)
            {
                if (declared is null)
                {
                    if (!await budget.TakeAsync(ChunkSize, large: body.Length > UnverifiedBodyBudget.SmallBodyBytes, ct))
                    {
                        body.Dispose();
                        return (BodyReadStatus.Busy, null);
                    }
                    body._charged += ChunkSize;
                }
                var chunk = budget.Chunks.Rent(ChunkSize);
                body._chunks.Add(chunk);
                var filled = 0;
                while (filled < ChunkSize)
                {
                    var read = await http.Request.Body.ReadAsync(chunk.AsMemory(filled, ChunkSize - filled), ct);
                    if (read == 0) break;
                    filled += read;
                }
                body._lastChunkLength = filled;
                body.Length += filled;
                if (body.Length > maxBytes || (declared is { } d && body.Length > d))
                {
                    body.Dispose();
                    return (BodyReadStatus.TooLarge, null);
                }
                if (filled < ChunkSize) break;
            }
            return (BodyReadStatus.Read, body);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The whole body as one array, not charged to the budget: check its signature at once (no await in between) and
    /// keep it only when it matched, so such copies of unsigned bodies are at most one per thread at a time.
    /// </summary>
    public byte[] ToArray()
    {
        var all = new byte[Length];
        var offset = 0;
        for (var i = 0; i < _chunks.Count; i++)
        {
            var length = i == _chunks.Count - 1 ? _lastChunkLength : ChunkSize;
            Buffer.BlockCopy(_chunks[i], 0, all, offset, length);
            offset += length;
        }
        return all;
    }

    public void Dispose()
    {
        foreach (var chunk in _chunks) _budget.Chunks.Return(chunk);
        _chunks.Clear();
        _budget.Return(_charged);
        _charged = 0;
    }
}
