using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Radar.Core.Sources;

namespace Radar.Core.WebSub;

/// <summary>What a subscriber answered: a status (0: no answer), the start of its body, a
/// <c>Retry-After</c> and why it failed.</summary>
public sealed record CallbackAnswer(int Status, string Body, TimeSpan? RetryAfter, string? Error)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>
/// Talks to subscribers' callbacks, which are untrusted addresses: through the
/// <see cref="AddressGuard"/> of API-added sources (with its private-network allowance), within
/// the sources' time limit, following no redirect, reading at most
/// <see cref="WebSubOptions.MaxAnswerBytes"/> of an answer.
/// </summary>
public sealed class CallbackClient(IHttpClientFactory clients, IOptions<FetchOptions> fetch, IOptions<WebSubOptions> options)
{
    public const string ClientName = "websub-callback";

    public Task<CallbackAnswer> GetAsync(Uri url, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);

    public Task<CallbackAnswer> PostAsync(Uri url, byte[] body, string contentType, IEnumerable<string> links, string? secret, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("Link", links);
        if (!string.IsNullOrEmpty(secret))
        {
            request.Headers.TryAddWithoutValidation("X-Hub-Signature", Signature(secret, body));
        }

        return SendAsync(request, cancellationToken);
    }

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of the body, keyed with the
    /// secret's UTF-8 bytes.</summary>
    public static string Signature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>The callback with <paramref name="parameters"/> added to the query it has.</summary>
    public static Uri WithQuery(string callback, IEnumerable<(string Name, string Value)> parameters)
    {
        var builder = new StringBuilder(callback);
        var first = !callback.Contains('?', StringComparison.Ordinal);
        foreach (var (name, value) in parameters)
        {
            builder.Append(first ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }

        return new Uri(builder.ToString());
    }

    private async Task<CallbackAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var _ = request;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(fetch.Value.Timeout);
        try
        {
            var client = clients.CreateClient(ClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadCappedAsync(response.Content, (int)Math.Min(options.Value.MaxAnswerBytes, fetch.Value.MaxBytes), timeout.Token);
            var retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - DateTimeOffset.UtcNow,
                _ => (TimeSpan?)null,
            };
            return new CallbackAnswer((int)response.StatusCode, body, retryAfter, response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new CallbackAnswer(0, "", null, $"no answer within {fetch.Value.Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return new CallbackAnswer(0, "", null, ex.InnerException is AddressRefusedException refused ? refused.Message : ex.Message);
        }
    }

    private static async Task<string> ReadCappedAsync(HttpContent content, int cap, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Math.Max(cap, 1)];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
