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
    /// Verifies <paramref name="signatureHeader"/> over the whole body. The library's validator takes the body in one
    /// span, so the chunks are copied into a buffer of <see cref="UnverifiedBodyBudget.WholeBodies"/> for the check,
    /// returned right after it: an unsigned body never gets an array of its own.
    /// </summary>
    public SignatureCheck VerifySignature(string signatureHeader, string secret)
    {
        var whole = _budget.WholeBodies.Rent((int)Length);
        try
        {
            CopyTo(whole);
            return WebhookSignature.Verify(signatureHeader, secret, whole.AsSpan(0, (int)Length));
        }
        finally
        {
            _budget.WholeBodies.Return(whole);
        }
    }

    /// <summary>The whole body as one array; for a body whose signature matched.</summary>
    public byte[] ToArray()
    {
        var all = new byte[Length];
        CopyTo(all);
        return all;
    }

    private void CopyTo(byte[] all)
    {
        var offset = 0;
        for (var i = 0; i < _chunks.Count; i++)
        {
            var length = i == _chunks.Count - 1 ? _lastChunkLength : ChunkSize;
            Buffer.BlockCopy(_chunks[i], 0, all, offset, length);
            offset += length;
        }
    }

    public void Dispose()
    {
        foreach (var chunk in _chunks) _budget.Chunks.Return(chunk);
        _chunks.Clear();
        _budget.Return(_charged);
        _charged = 0;
    }
}
