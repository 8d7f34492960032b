using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Radar.Functions.Tests.WebSub;

/// <summary>What a subscriber's callback received.</summary>
public sealed record CallbackRequest(string Method, IQueryCollection Query, IHeaderDictionary Headers, byte[] Body)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A WebSub subscriber on loopback (a real Kestrel through <see cref="SourceServer"/>): its
/// callback echoes the challenge (or not, when told), answers deliveries with the statuses the
/// test scripts, and records every request.
/// </summary>
public sealed class Subscriber : IAsyncDisposable
{
    private readonly SourceServer _server;
    private readonly ConcurrentQueue<int> _statuses = new();

    private Subscriber(SourceServer server) => _server = server;

    public ConcurrentQueue<CallbackRequest> Received { get; } = new();

    /// <summary>False: the callback answers verifications 200 with a wrong body.</summary>
    public bool Echoes { get; set; } = true;

    public string Callback => _server.Url("/callback?subscriber=1");

    public IReadOnlyList<CallbackRequest> Gets => [.. Received.Where(r => r.Method == "GET")];

    public IReadOnlyList<CallbackRequest> Posts => [.. Received.Where(r => r.Method == "POST")];

    public static async Task<Subscriber> StartAsync()
    {
        var subscriber = new Subscriber(await SourceServer.StartAsync());
        subscriber._server.Map("/callback", subscriber.HandleAsync);
        return subscriber;
    }

    /// <summary>The statuses the next deliveries are answered with (then 200).</summary>
    public void AnswerDeliveriesWith(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _statuses.Enqueue(status);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        // Copies: Kestrel reuses a request's header and query collections for the next request.
        var headers = new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase));
        var query = new QueryCollection(context.Request.Query.ToDictionary(q => q.Key, q => q.Value, StringComparer.Ordinal));
        Received.Enqueue(new CallbackRequest(context.Request.Method, query, headers, body.ToArray()));
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.WriteAsync(Echoes ? context.Request.Query["hub.challenge"].ToString() : "nein", context.RequestAborted);
            return;
        }

        context.Response.StatusCode = _statuses.TryDequeue(out var status) ? status : StatusCodes.Status200OK;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
