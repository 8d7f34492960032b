using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Radar.Testing;

/// <summary>
/// A real HTTP server on loopback that a test scripts: each path answers as the test says (a
/// good source, a slow one, a hostile one), and every request is recorded. For the remote-source
/// cases of measure and news ingest.
/// </summary>
public sealed class SourceServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _handlers = new(StringComparer.Ordinal);

    private SourceServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Every request so far: path and headers.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static async Task<SourceServer> StartAsync(string address = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{address}:0");
        var app = builder.Build();
        SourceServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new SourceServer(app, new Uri(url.Replace("[::]", address, StringComparison.Ordinal)));
        return server;
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public void Map(string path, Func<HttpContext, Task> handler) => _handlers[path] = handler;

    /// <summary>Answers <paramref name="body"/> with an ETag, and 304 to a request that sends it back.</summary>
    public void MapContent(string path, byte[] body, string contentType, string? etag = null)
    {
        Map(path, async context =>
        {
            if (etag is not null)
            {
                context.Response.Headers.ETag = etag;
                if (context.Request.Headers.IfNoneMatch.ToString() == etag)
                {
                    context.Response.StatusCode = StatusCodes.Status304NotModified;
                    return;
                }
            }

            context.Response.ContentType = contentType;
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        });
    }

    public int CountOf(string path) => Requests.Count(r => r.Path == path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        Requests.Enqueue(new RecordedRequest(
            path,
            context.Request.Headers.UserAgent.ToString(),
            context.Request.Headers.IfNoneMatch.ToString(),
            context.Request.Headers.IfModifiedSince.ToString(),
            context.Request.Headers.AcceptEncoding.ToString()));
        if (_handlers.TryGetValue(path, out var handler))
        {
            return handler(context);
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}

public sealed record RecordedRequest(string Path, string UserAgent, string IfNoneMatch, string IfModifiedSince, string AcceptEncoding);
