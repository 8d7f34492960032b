using Microsoft.Extensions.Logging;

namespace Radar.Core.Sources;

/// <summary>What a person sends to add or replace a source (<c>PUT /api/admin/sources/{id}</c>).</summary>
public sealed record SourceRequest(string? Url, string? Kind, string? Name);

/// <summary>A source as the admin API shows it: what it is and how its fetches went.</summary>
public sealed record SourceView(
    string Id,
    string Kind,
    string Origin,
    string? Name,
    string Url,
    string? Radar,
    string State,
    DateTimeOffset? LastFetch,
    DateTimeOffset? LastSuccess,
    string? LastOutcome,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int Failures,
    DateTimeOffset? NextAttempt)
{
    public static SourceView From(Source s) => new(
        s.Id, s.Kind, s.Origin, s.Name, s.Url, s.Radar,
        s.ConsecutiveFailures > 0 ? "failing" : s.LastFetch is null ? "never-fetched" : "ok",
        s.LastFetch, s.LastSuccess, s.LastOutcome, s.LastError, s.LastErrorAt, s.ConsecutiveFailures, s.NextAttempt);
}

public enum SourceAdminOutcome
{
    Created,
    Replaced,
    Deleted,
    Invalid,
    NotFound,
    Conflict,
}

/// <summary>The answer to a change: the outcome, the source as it now is, or what was wrong.</summary>
public sealed record SourceAdminResult(SourceAdminOutcome Outcome, SourceView? Source = null, string? Detail = null, string? Code = null);

public sealed record OpmlAdded(string Id, string Url, string? Name);

public sealed record OpmlUnchanged(string Id, string Url);

public sealed record OpmlRefused(string Url, string Code, string Reason);

/// <summary>What an OPML import did with each feed the document named.</summary>
public sealed record OpmlImportReport(IReadOnlyList<OpmlAdded> Added, IReadOnlyList<OpmlUnchanged> Unchanged, IReadOnlyList<OpmlRefused> Refused);

/// <summary>
/// News source management for the admin API: list, add or replace, delete, OPML export and
/// import. Sources from settings are shown but never changed here (settings own them; the next
/// run would write them back anyway). Only <c>news</c> sources come through the API: measure
/// sources need a radar and a definition, and stay in settings.
/// </summary>
public sealed class SourceAdmin(SourceStore store, SourceUrlCheck urls, TimeProvider clock, ILogger<SourceAdmin> logger)
{
    public const int MaxIdLength = 60;
    public const int MaxNameLength = 200;

    /// <summary>Every source, from settings (also those no run has written yet) and from the API.</summary>
    public async Task<IReadOnlyList<SourceView>> ListAsync(CancellationToken cancellationToken) =>
        (await AllAsync(cancellationToken))
            .OrderBy(s => s.Kind, StringComparer.Ordinal)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .Select(SourceView.From)
            .ToList();

    public async Task<SourceView?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await AllAsync(cancellationToken)).FirstOrDefault(s => s.Id == id) is { } source ? SourceView.From(source) : null;

    /// <summary>Adds or replaces the API source <paramref name="id"/>. Its fetch state is kept
    /// when the URL stays the same.</summary>
    public async Task<SourceAdminResult> PutAsync(string id, SourceRequest request, CancellationToken cancellationToken)
    {
        if (!Slug.IsValid(id, MaxIdLength))
        {
            return Invalid($"The id '{Shorten(id)}' is not a slug: lowercase letters and digits, single hyphens between them, at most {MaxIdLength} characters (e.g. 'sueddeutsche-muenchen').");
        }

        var kind = request.Kind?.Trim();
        if (!string.IsNullOrEmpty(kind) && !string.Equals(kind, SourceKinds.News, StringComparison.OrdinalIgnoreCase))
        {
            return Invalid($"'kind' is '{Shorten(kind)}': only 'news' sources can be managed through the API. " +
                "Measure sources (measures-json, measures-csv) need a radar and a definition and stay in settings (Radar__Sources__N__…).");
        }

        var name = request.Name?.Trim();
        if (name is { Length: > MaxNameLength })
        {
            return Invalid($"'name' is longer than {MaxNameLength} characters.");
        }

        if (name is not null && name.Any(char.IsControl))
        {
            return Invalid("'name' contains control characters (line breaks, tabs, …).");
        }

        var (uri, refusal) = SourceUrlCheck.Parse(request.Url);
        if (refusal is not null)
        {
            return Invalid(refusal.Reason, refusal.Code);
        }

        var url = uri!.AbsoluteUri;
        var all = await AllAsync(cancellationToken);
        var existing = all.FirstOrDefault(s => s.Id == id);
        if (existing is { FromSettings: true })
        {
            return SettingsConflict(existing);
        }

        if (all.FirstOrDefault(s => s.Id != id && SourceUrlCheck.Canonical(s.Url) == url) is { } twin)
        {
            return new SourceAdminResult(SourceAdminOutcome.Conflict,
                Detail: $"Source '{twin.Id}' ({twin.Origin}) already reads {url}; one source per URL.", Code: SourceRefusal.Duplicate);
        }

        if (await urls.AddressRefusalAsync(uri, cancellationToken) is { } blocked)
        {
            return Invalid(blocked.Reason, blocked.Code);
        }

        var source = existing is not null && existing.Url == url
            ? existing with { Name = string.IsNullOrEmpty(name) ? null : name }
            : new Source { Id = id, Url = url, Kind = SourceKinds.News, Origin = SourceOrigins.Api, Name = string.IsNullOrEmpty(name) ? null : name };
        await store.SaveAsync(source, cancellationToken);
        logger.LogInformation("News source {Id} {Change}: {Url}", id, existing is null ? "added" : "replaced", url);
        return new SourceAdminResult(existing is null ? SourceAdminOutcome.Created : SourceAdminOutcome.Replaced, SourceView.From(source));
    }

    public async Task<SourceAdminResult> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var existing = (await AllAsync(cancellationToken)).FirstOrDefault(s => s.Id == id);
        if (existing is null)
        {
            return new SourceAdminResult(SourceAdminOutcome.NotFound, Detail: $"There is no source '{Shorten(id)}'.");
        }

        if (existing.FromSettings)
        {
            return SettingsConflict(existing);
        }

        await store.DeleteAsync(id, cancellationToken);
        logger.LogInformation("News source {Id} deleted ({Url})", id, existing.Url);
        return new SourceAdminResult(SourceAdminOutcome.Deleted);
    }

    /// <summary>The news sources that a feed reader can subscribe to (http and https; <c>file:</c>
    /// samples from settings are left out) as an OPML 2.0 document.</summary>
    public async Task<byte[]> ExportOpmlAsync(CancellationToken cancellationToken)
    {
        var news = (await AllAsync(cancellationToken))
            .Where(s => s.Kind == SourceKinds.News && SourceUrlCheck.Parse(s.Url).Uri is not null)
            .OrderBy(s => s.Id, StringComparer.Ordinal);
        return SourceOpml.Write(news, "Radar – Nachrichtenquellen", clock.GetUtcNow());
    }

    /// <summary>Adds every feed of the document that is not there yet as an API news source;
    /// feeds already registered are unchanged, the rest refused with the reason.</summary>
    /// <exception cref="OpmlException">The document as a whole is unusable.</exception>
    public async Task<OpmlImportReport> ImportOpmlAsync(ReadOnlyMemory<byte> document, CancellationToken cancellationToken)
    {
        var feeds = SourceOpml.Read(document);
        var all = (await AllAsync(cancellationToken)).ToList();
        var added = new List<OpmlAdded>();
        var unchanged = new List<OpmlUnchanged>();
        var refused = new List<OpmlRefused>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var hosts = new Dictionary<string, SourceRefusal?>(StringComparer.OrdinalIgnoreCase);
        foreach (var feed in feeds)
        {
            var (uri, bad) = SourceUrlCheck.Parse(feed.XmlUrl);
            if (bad is not null)
            {
                refused.Add(new OpmlRefused(Shorten(feed.XmlUrl), bad.Code, bad.Reason));
                continue;
            }

            var url = uri!.AbsoluteUri;
            if (!seen.Add(url))
            {
                refused.Add(new OpmlRefused(url, SourceRefusal.Duplicate, "The document names this feed more than once; it was taken once."));
                continue;
            }

            if (all.FirstOrDefault(s => SourceUrlCheck.Canonical(s.Url) == url) is { } present)
            {
                if (present.Kind == SourceKinds.News)
                {
                    unchanged.Add(new OpmlUnchanged(present.Id, url));
                }
                else
                {
                    refused.Add(new OpmlRefused(url, SourceRefusal.Duplicate, $"Source '{present.Id}' already reads this URL as a {present.Kind} source."));
                }

                continue;
            }

            var id = new[] { feed.Id, SourceStore.IdFor(url) }
                .FirstOrDefault(candidate => Slug.IsValid(candidate, MaxIdLength) && all.All(s => s.Id != candidate));
            if (id is null)
            {
                refused.Add(new OpmlRefused(url, SourceRefusal.IdTaken, $"The id '{SourceStore.IdFor(url)}' is already used by another source."));
                continue;
            }

            var hostKey = uri.Authority;
            if (!hosts.TryGetValue(hostKey, out var blocked))
            {
                blocked = await urls.AddressRefusalAsync(uri, cancellationToken);
                hosts[hostKey] = blocked;
            }

            if (blocked is not null)
            {
                refused.Add(new OpmlRefused(url, blocked.Code, blocked.Reason));
                continue;
            }

            var name = feed.Title is { } title ? new string(title.Where(c => !char.IsControl(c)).ToArray()) : null;
            if (name is { Length: > MaxNameLength })
            {
                name = name[..MaxNameLength].TrimEnd();
            }

            var source = new Source { Id = id, Url = url, Kind = SourceKinds.News, Origin = SourceOrigins.Api, Name = string.IsNullOrWhiteSpace(name) ? null : name };
            await store.SaveAsync(source, cancellationToken);
            all.Add(source);
            added.Add(new OpmlAdded(id, url, source.Name));
        }

        logger.LogInformation("OPML import: {Added} added, {Unchanged} unchanged, {Refused} refused", added.Count, unchanged.Count, refused.Count);
        return new OpmlImportReport(added, unchanged, refused);
    }

    private async Task<IReadOnlyList<Source>> AllAsync(CancellationToken cancellationToken)
    {
        var sources = (await store.ListAsync(cancellationToken)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        // Settings own their ids: a settings source no run has written yet (or one that will
        // overwrite an API source of the same id at the next run) is shown as settings name it.
        foreach (var configured in store.FromSettings())
        {
            if (!sources.TryGetValue(configured.Id, out var stored) || !stored.FromSettings)
            {
                sources[configured.Id] = configured;
            }
        }

        return sources.Values.ToList();
    }

    private static SourceAdminResult Invalid(string detail, string? code = null) =>
        new(SourceAdminOutcome.Invalid, Detail: detail, Code: code);

    private static SourceAdminResult SettingsConflict(Source source) =>
        new(SourceAdminOutcome.Conflict, SourceView.From(source),
            $"Source '{source.Id}' comes from settings (Radar__Sources__N__…); change or remove it there, not through the API.");

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
