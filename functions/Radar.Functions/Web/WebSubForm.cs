using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Radar.Core.WebSub;

namespace Radar.Functions.Web;

/// <summary>
/// Reads a WebSub hub request (<c>application/x-www-form-urlencoded</c>, else 415) and binds its
/// topic: it must be one of Radar's feeds under <c>Radar__PublicUrl</c>, with a query the feeds
/// accept (bound by the same <see cref="QueryBinder"/>); a spelling that is not canonical is
/// made canonical, so two spellings of one saved search are one topic.
/// </summary>
public static class WebSubForm
{
    /// <summary>A form field's value is a URL or a short secret: far below this.</summary>
    private const long MaxFormBytes = 16 * 1024;

    public static async Task<(HubRequest? Request, Problem? Problem)> ReadAsync(HttpRequest request, Uri baseUrl, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the hub request as application/x-www-form-urlencoded (hub.mode, hub.topic, hub.callback, …)."));
        }

        if (request.ContentLength is > MaxFormBytes)
        {
            return (null, Field("hub.callback", $"The form is larger than {MaxFormBytes / 1024} KB."));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueLengthLimit = (int)MaxFormBytes }, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return (null, Problem.BadRequest("The form could not be read: " + ex.Message));
        }

        foreach (var name in new[] { "hub.mode", "hub.topic", "hub.callback", "hub.lease_seconds", "hub.secret" })
        {
            if (form[name].Count > 1)
            {
                return (null, Field(name, $"Give '{name}' once."));
            }
        }

        var (topic, topicError) = BindTopic(form["hub.topic"].ToString(), baseUrl);
        if (topic is null)
        {
            return (null, Field("hub.topic", topicError!));
        }

        return (new HubRequest(
            form["hub.mode"].ToString(),
            topic,
            form["hub.callback"].ToString(),
            form["hub.lease_seconds"].ToString(),
            form["hub.secret"].Count == 0 ? null : form["hub.secret"].ToString(),
            ClientAddress(request)), null);
    }

    public static (WebSubTopic? Topic, string? Error) BindTopic(string value, Uri baseUrl)
    {
        if (string.IsNullOrEmpty(value))
        {
            return (null, "'hub.topic' is required: the URL of one of Radar's feeds (RSS, Atom or JSON Feed).");
        }

        var home = baseUrl.AbsoluteUri;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || !url.AbsoluteUri.StartsWith(home, StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"'hub.topic' must be one of Radar's feeds under {home} (api/feed.rss, api/feed.atom or api/feed.json), not '{QueryBinder.Shorten(value)}'.");
        }

        var path = "/" + url.GetLeftPart(UriPartial.Path)[home.Length..];
        if (TopicFormat.ByPath(path) is not { } format)
        {
            return (null, $"'hub.topic' must be one of Radar's feeds: {home}api/feed.rss, api/feed.atom or api/feed.json (with any filters); '{QueryBinder.Shorten(path)}' is not a topic.");
        }

        var query = QueryBinder.Parse(url.Query);
        var feed = query.Feed(FeedLimits.Feed);
        return query.IsValid
            ? (WebSubTopic.Of(baseUrl, format, feed), null)
            : (null, "'hub.topic' has a query the feed refuses: " + query.Refusal);
    }

    /// <summary>The client as the front end saw it (the first <c>X-Forwarded-For</c> address), else the peer.</summary>
    private static string? ClientAddress(HttpRequest request) =>
        request.Headers["X-Forwarded-For"].ToString().Split(',')[0].Trim() is { Length: > 0 } forwarded && IPAddress.TryParse(forwarded, out var address)
            ? address.ToString()
            : request.HttpContext.Connection.RemoteIpAddress?.ToString();

    public static Problem Field(string field, string message) =>
        Problem.InvalidQuery([new ParameterError(field, message)]);
}
