using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Http;
using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;
using Radar.Core.News.Normalising;
using Radar.Core.Search;
using Radar.Core.Search.Serving;
using Radar.Core.Syndication;
using Radar.Core.Vocabulary;
using Radar.Pages.Components;
using Radar.Pages.Embed;
using Radar.Pages.Models;
using Radar.Pages.Picture;
using Radar.Pages.Rendering;
using Radar.Pages.Search;

namespace Radar.Pages;

/// <summary>What the home page asks for: a radar (null: the default), the filters and the edition
/// to show (null: the current state).</summary>
public sealed record HomeRequest(string? RadarId, RadarFilter Filter, string? Edition = null);

/// <summary>What <c>/api/radar.svg</c> answers: the picture, or why not.</summary>
public sealed record RadarPictureResult(byte[]? Svg, int StatusCode, string? Problem);

/// <summary>
/// The citizens' pages: each method gathers what one page shows from the measure store and
/// renders it. The page functions call exactly one of these.
/// </summary>
public sealed class CitizenPages(
    RadarQueries queries, RadarTimeQueries time, IRadarReads store, NewsHtml html, PageRenderer renderer, SearchService search, FeedService feeds)
{
    /// <summary>How many of the radar's changes are read to find the latest ones that match the
    /// filters (the store keeps them newest first, so this is one short read).</summary>
    public const int ChangesScanned = 200;

    public const int ChangesShown = 12;

    // The radar picture of a view (kept by RadarQueries while the snapshot and the hour stay),
    // drawn once per filter: drawing it was a third of a home page.
    private const int MaxPicturesPerView = 256;
    private readonly ConditionalWeakTable<RadarView, ConcurrentDictionary<string, byte[]>> _pictures = [];

    public async Task<RenderedPage> HomeAsync(HomeRequest request, CancellationToken cancellationToken)
    {
        var view = await queries.GetRadarAsync(request.RadarId, cancellationToken);
        if (view is null)
        {
            return await ErrorAsync(request.RadarId is null
                ? new ErrorPageModel("Noch keine Daten", "Es wurde noch kein Radar eingelesen. Bitte versuchen Sie es später noch einmal.")
                : new ErrorPageModel("Radar nicht gefunden", $"Ein Radar „{request.RadarId}“ gibt es hier nicht."));
        }

        ShownEdition? shown = null;
        if (request.Edition is not null)
        {
            var past = await time.GetRadarAsOfAsync(view.Radar.Id, null, request.Edition, cancellationToken);
            if (past.Value is not { } asOf)
            {
                return await ErrorAsync(past.Problem!.Status == StatusCodes.Status404NotFound
                    ? new ErrorPageModel("Stand nicht gefunden", $"Einen Stand „{request.Edition}“ gibt es für das Radar „{view.Radar.Title}“ nicht. {EditionsKnown(view.Editions)}")
                    : new ErrorPageModel("Ungültige Adresse", $"„edition“ muss eine Ausgabe wie „2024“ sein. {EditionsKnown(view.Editions)}", StatusCodes.Status400BadRequest));
            }

            shown = new ShownEdition(asOf.Edition!, asOf.Baseline);
            view = PastView(view, asOf);
        }

        var filter = request.Filter.Resolve(view.Radar, out var unknown);
        var radar = RadarPictureBuilder.Build(view, filter);
        var picture = Encoding.UTF8.GetString(Picture(view, radar, forPage: true));
        var changes = shown is null ? await LatestChangesAsync(radar, cancellationToken) : EditionChanges(radar, shown);
        var departments = view.Measures.SelectMany(m => m.Departments)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Create(German.Culture, true))
            .ToList();
        var links = new HomeLinks(RadarIdForLinks(view, request.RadarId), filter, shown?.Edition.Id);
        var model = new HomePageModel(radar, picture, changes, departments, links, unknown) { Shown = shown, Editions = view.Editions };
        return new RenderedPage(StatusCodes.Status200OK, await renderer.RenderAsync<HomePage>(new Dictionary<string, object?> { ["Model"] = model }));
    }

    private static string EditionsKnown(IReadOnlyList<EditionRef> editions) => editions.Count == 0
        ? "Dieses Radar hat keine Ausgaben."
        : "Ausgaben: " + GermanLabels.All([.. editions.Select(e => e.Id)]) + ".";

    /// <summary>The radar as of an edition in the shape of the current one, so picture, table and
    /// filters are drawn by the same code; the radars and editions to switch to stay the current ones.</summary>
    private static RadarView PastView(RadarView now, RadarAsOf asOf) =>
        new RadarView(
            asOf.Radar,
            [.. asOf.Measures.Select(m => new RadarMeasure(m.Id, m.Title, m.Area, m.Field, m.Departments, m.Status, m.Progress, m.New, m.Moved, m.Url))],
            asOf.Counts,
            asOf.Totals,
            asOf.Window ?? now.Window,
            now.Radars,
            null)
        { Editions = now.Editions };

    /// <summary>For a past edition "Letzte Änderungen" are what the edition brought against the one
    /// before: its new measures and status moves, dated by its publication.</summary>
    private static List<ChangeLine> EditionChanges(FilteredRadar radar, ShownEdition shown)
    {
        if (shown.Baseline is null || shown.Baseline.Id == shown.Edition.Id)
        {
            return [];
        }

        var at = BerlinTime.EndOfDay(shown.Edition.Published);
        return [.. radar.Measures
            .Where(m => m.New || m.Moved)
            .OrderBy(m => m.New ? 0 : 1)
            .ThenBy(m => m.Title, StringComparer.Create(German.Culture, true))
            .Take(ChangesShown)
            .Select(m => new ChangeLine(
                at,
                m.New ? $"{m.Title}: neu im Radar" : $"{m.Title}: Status jetzt {GermanLabels.Quote(GermanLabels.Status(radar.Radar, m.Status))}",
                m.Url,
                m.New ? ChangeKinds.Created : ChangeKinds.StatusChanged))];
    }

    /// <param name="origin">Scheme and host the reader reached us at, for the link in the e-mail.</param>
    public async Task<RenderedPage> MeasureAsync(string? radarId, string measureId, string origin, CancellationToken cancellationToken)
    {
        var detail = await queries.GetMeasureAsync(radarId, measureId, cancellationToken);
        if (detail is null)
        {
            return await ErrorAsync(new ErrorPageModel(
                "Maßnahme nicht gefunden",
                $"Eine Maßnahme „{measureId}“ gibt es im Radar nicht (mehr). Vielleicht finden Sie sie über die Suche oder im Radarbild."));
        }

        var radarTask = store.GetRadarAsync(detail.Radar.Id, cancellationToken);
        var pastTask = time.GetMeasureAsOfAsync(detail.Radar.Id, measureId, null, cancellationToken);
        var radar = await radarTask;
        var editions = (await pastTask).Value?.Editions ?? [];
        var measure = detail.Measure;
        var absolute = origin.TrimEnd('/') + detail.Url;
        var mailto = "mailto:?subject=" + Uri.EscapeDataString($"Digitalisierungsradar: {measure.Title}")
            + "&body=" + Uri.EscapeDataString($"{measure.Title}\n{measure.Summary}\n\n{absolute}".Replace("\n\n\n", "\n\n", StringComparison.Ordinal));
        var model = new MeasurePageModel(
            detail,
            radar,
            html.Sanitize(measure.Description, baseUri: null),
            Kpis(measure),
            Timeline(detail.Changes, radar),
            absolute,
            mailto,
            FeedUrl(measure.Id, detail.Radar),
            detail.Radar.Default ? "/" : "/?radar=" + Uri.EscapeDataString(detail.Radar.Id),
            OEmbedDiscovery(origin, absolute))
        { Editions = editions };
        return new RenderedPage(StatusCodes.Status200OK, await renderer.RenderAsync<MeasurePage>(new Dictionary<string, object?> { ["Model"] = model }));
    }

    /// <summary><c>/suche</c>: the search's answer as a page. A query the edge refused
    /// (<paramref name="invalid"/>: what is wrong) is a 400 page that says so; an index still
    /// loading is a 503 page.</summary>
    /// <param name="origin">Scheme and host the reader reached us at, for the oEmbed discovery link.</param>
    public async Task<RenderedPage> SearchAsync(SearchRequest request, string? invalid, string origin, CancellationToken cancellationToken)
    {
        var answer = invalid is null ? search.Search(request) : null;
        var radars = await store.ListRadarsAsync(cancellationToken);
        var status = invalid is not null ? StatusCodes.Status400BadRequest
            : answer?.Value is null ? StatusCodes.Status503ServiceUnavailable
            : StatusCodes.Status200OK;
        var error = invalid is not null
            ? "Diese Suche können wir so nicht ausführen: " + invalid
            : answer?.Value is null ? "Die Suche wird gerade vorbereitet. Bitte versuchen Sie es in ein paar Sekunden noch einmal." : null;
        var links = new SearchLinks(request);
        var model = new SearchPageModel(request, answer?.Value, error, radars, links, SearchFeedUrl(request),
            answer?.Value is null ? null : OEmbedDiscovery(origin, origin.TrimEnd('/') + links.Page(1)));
        return new RenderedPage(status, await renderer.RenderAsync<SearchPage>(new Dictionary<string, object?> { ["Model"] = model }));
    }

    /// <summary>The feed that shows the same selection (issue 6): changes and news only, so a
    /// filter on measures alone is left out; null when a feed cannot show it (several radars).</summary>
    public static string? SearchFeedUrl(SearchRequest request)
    {
        if (request.Radars.Count > 1)
        {
            return null;
        }

        var types = request.Types.Where(t => FeedEntryTypes.All.Contains(t, StringComparer.Ordinal)).ToList();
        var feed = new FeedRequest
        {
            Query = request.Query,
            Types = types.Count == 0 ? FeedEntryTypes.All : types,
            Areas = request.Areas,
            Statuses = request.Statuses,
            Departments = request.Departments,
            Tags = request.Tags,
            Radar = request.Radars.Count == 1 ? request.Radars[0] : null,
        };
        return "/api/feed.rss" + (feed.Canonical() is { Length: > 0 } q ? "?" + q : "");
    }

    /// <summary>A German 400 page for an address whose parameters the edge refused.</summary>
    public Task<RenderedPage> InvalidAddressAsync(string invalid) =>
        ErrorAsync(new ErrorPageModel(
            "Ungültige Adresse",
            "Diese Adresse können wir so nicht beantworten: " + invalid,
            StatusCodes.Status400BadRequest));

    /// <summary>The German 404 page: no page at this address.</summary>
    public Task<RenderedPage> NotFoundAsync() =>
        ErrorAsync(new ErrorPageModel("Seite nicht gefunden", "Diese Adresse gibt es hier nicht. Vielleicht hat sie sich geändert, oder sie wurde falsch eingegeben."));

    /// <summary>The German 405 page: the page at <paramref name="path"/> exists, but not for
    /// <paramref name="method"/> (a form or a program sent what a page does not take).</summary>
    public Task<RenderedPage> MethodNotAllowedAsync(string path, string method, string allow) =>
        ErrorAsync(new ErrorPageModel(
            "Anfrage nicht möglich",
            $"Die Seite „{path}“ lässt sich nur abrufen ({allow}); die Methode {method} nimmt sie nicht an.",
            StatusCodes.Status405MethodNotAllowed));

    /// <summary>The German 503 page: this instance has no published data loaded yet (it just
    /// started, and cannot load it now).</summary>
    public Task<RenderedPage> UnavailableAsync() =>
        ErrorAsync(new ErrorPageModel(
            "Gleich wieder da",
            "Das Radar wird gerade geladen und ist in wenigen Sekunden wieder erreichbar. Bitte laden Sie die Seite gleich noch einmal.",
            StatusCodes.Status503ServiceUnavailable));

    /// <summary>An error page of the other page services.</summary>
    internal async Task<RenderedPage> ErrorAsync(ErrorPageModel model) =>
        new(model.Status, await renderer.RenderAsync<ErrorPage>(new Dictionary<string, object?> { ["Model"] = model }));

    /// <summary>The picture on its own, for <c>/api/radar.svg</c>.</summary>
    public async Task<RadarPictureResult> RadarPictureAsync(HomeRequest request, CancellationToken cancellationToken)
    {
        var view = await queries.GetRadarAsync(request.RadarId, cancellationToken);
        if (view is null)
        {
            return new RadarPictureResult(null, StatusCodes.Status404NotFound, request.RadarId is null
                ? "No radar has been ingested yet."
                : $"There is no radar '{request.RadarId}'.");
        }

        var filter = request.Filter.Resolve(view.Radar, out var unknown);
        if (unknown.Count > 0)
        {
            return new RadarPictureResult(null, StatusCodes.Status400BadRequest,
                $"Unknown filter values: {string.Join(", ", unknown)}. Areas: {string.Join(", ", view.Radar.Areas.Select(a => a.Id))}; statuses: {string.Join(", ", view.Radar.Statuses.Select(s => s.Id))}.");
        }

        var radar = RadarPictureBuilder.Build(view, filter);
        return new RadarPictureResult(Picture(view, radar, forPage: false), StatusCodes.Status200OK, null);
    }

    private byte[] Picture(RadarView view, FilteredRadar radar, bool forPage)
    {
        var pictures = _pictures.GetValue(view, _ => new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal));
        var filter = radar.Filter;
        var key = string.Join('\u0001', forPage, filter.Grouping, string.Join(',', filter.Areas), string.Join(',', filter.Statuses), string.Join(',', filter.Departments));
        if (pictures.TryGetValue(key, out var svg))
        {
            return svg;
        }

        svg = forPage
            ? RadarSvg.Write(radar.Picture(forPage: true), new RadarSvgOptions(Inline: true, IdPrefix: "radarbild"))
            : RadarSvg.Write(radar.Picture(forPage: false), new RadarSvgOptions());
        if (pictures.Count < MaxPicturesPerView)
        {
            pictures[key] = svg;
        }

        return svg;
    }

    /// <summary><c>/embed?…</c>: the latest matching changes and news for an iframe, with the
    /// feed's filters (the same selection <c>/api/changes</c> and the widget show). A query the
    /// edge refused (<paramref name="invalid"/>) is a 400 embed that says so.</summary>
    /// <param name="baseUrl">The site's public base, for links out of the frame.</param>
    public async Task<RenderedPage> EmbedAsync(FeedRequest request, string? invalid, Uri baseUrl, CancellationToken cancellationToken)
    {
        EmbedPageModel model;
        int status;
        if (invalid is not null)
        {
            (status, model) = (StatusCodes.Status400BadRequest, new EmbedPageModel(null, "Diese Auswahl ist ungültig: " + invalid, baseUrl.AbsoluteUri));
        }
        else
        {
            var outcome = await feeds.SelectAsync(request, cancellationToken);
            var links = new FeedLinks(baseUrl, "/api/feed.rss", request);
            (status, model) = outcome.Selection is { } selection
                ? (StatusCodes.Status200OK, new EmbedPageModel(selection with { Entries = [.. selection.Entries.Select(e => e with { Url = links.Absolute(e.Url) })] }, null, links.Alternate))
                : (outcome.Problem!.Status, new EmbedPageModel(null, outcome.Problem.Status == StatusCodes.Status404NotFound
                    ? "Diese Auswahl gibt es im Digitalisierungsradar nicht."
                    : "Das Digitalisierungsradar kann diese Auswahl gerade nicht zeigen. Bitte später noch einmal versuchen.", baseUrl.AbsoluteUri));
        }

        return new RenderedPage(status, await renderer.RenderAsync<EmbedPage>(new Dictionary<string, object?> { ["Model"] = model }));
    }

    /// <summary><c>/api/oembed</c>: the embed of a Radar page address as oEmbed "rich" JSON — an
    /// iframe of <c>/embed</c> with <paramref name="embedQuery"/> (the page's filters, bound by the
    /// edge into <paramref name="request"/>) and the script that fits its height.</summary>
    /// <param name="baseUrl">The site's public base.</param>
    public async Task<OEmbedResult> OEmbedAsync(FeedRequest request, QueryString embedQuery, int? maxWidth, int? maxHeight, Uri baseUrl, CancellationToken cancellationToken)
    {
        var outcome = await feeds.SelectAsync(request, cancellationToken);
        if (outcome.Selection is not { } selection)
        {
            return OEmbedResult.Fail(outcome.Problem!.Status, outcome.Problem.Detail);
        }

        var site = baseUrl.GetLeftPart(UriPartial.Authority) + baseUrl.AbsolutePath.TrimEnd('/');
        var frameWidth = Math.Min(maxWidth ?? 480, 1200);
        var frameHeight = Math.Min(maxHeight ?? 420, 1600);
        var src = site + "/embed" + embedQuery.Value;
        var title = selection.Title + " – Digitalisierungsradar";
        var markup =
            $$"""<iframe src="{{System.Net.WebUtility.HtmlEncode(src)}}" title="{{System.Net.WebUtility.HtmlEncode(title)}}" width="{{frameWidth}}" height="{{frameHeight}}" loading="lazy" data-radar-embed style="border:0;max-width:100%"></iframe>""" +
            $$"""<script src="{{System.Net.WebUtility.HtmlEncode(site)}}/api/widget.js" data-radar-resize async></script>""";
        return new OEmbedResult(new OEmbedAnswer { Title = selection.Title, ProviderUrl = site + "/", Html = markup, Width = frameWidth, Height = frameHeight }, StatusCodes.Status200OK, null);
    }

    /// <summary>The oEmbed discovery URL of a page (<c>/api/oembed?url=…</c>), so a CMS that is
    /// given the page's address finds the embed.</summary>
    public static string OEmbedDiscovery(string origin, string pageUrl) =>
        origin.TrimEnd('/') + "/api/oembed?format=json&url=" + Uri.EscapeDataString(pageUrl);

    /// <summary>The RSS feed of one measure's changes (issue 6 serves it).</summary>
    public static string FeedUrl(string measureId, RadarSummary radar) =>
        "/api/feed.rss?measure=" + Uri.EscapeDataString(measureId) + (radar.Default ? "" : "&radar=" + Uri.EscapeDataString(radar.Id));

    private async Task<List<ChangeLine>> LatestChangesAsync(FilteredRadar radar, CancellationToken cancellationToken)
    {
        var changes = await store.GetLatestChangesAsync(radar.Radar.Id, ChangesScanned, cancellationToken);
        var current = radar.View.Measures.ToDictionary(m => m.Id, StringComparer.Ordinal);
        var filter = radar.Filter;
        var defaultRadar = radar.View.Radars.FirstOrDefault(r => r.Default)?.Id;
        // Unfiltered, an edition or a first import is one line linking to its report, as in the
        // feeds, not dozens of "… neu im Radar"; a filtered list shows the measures it matches.
        var unfiltered = filter.Areas.Count == 0 && filter.Statuses.Count == 0 && filter.Departments.Count == 0;
        var lines = changes
            .Where(c => !(unfiltered && c.Bulk))
            .Where(c => (filter.Areas.Count == 0 || filter.Areas.Contains(c.Area, StringComparer.Ordinal))
                        && (filter.Statuses.Count == 0 || filter.Statuses.Contains(c.Status, StringComparer.Ordinal))
                        && (filter.Departments.Count == 0 || (current.TryGetValue(c.MeasureId, out var m) && filter.Matches(m))))
            .Take(ChangesShown)
            .Select(c => new ChangeLine(c.At, GermanChanges.Headline(c, radar.Radar), RadarQueries.MeasureUrl(c.MeasureId, c.RadarId, defaultRadar), c.Kind))
            .ToList();
        if (unfiltered)
        {
            var linkRadar = radar.Radar.Id == defaultRadar ? null : radar.Radar.Id;
            var bulk = await time.ListEditionSummariesAsync(radar.Radar.Id, ChangesShown, cancellationToken);
            lines.AddRange(bulk.Select(e => new ChangeLine(
                e.At,
                EditionWording.Title(e, radar.Radar.Title),
                e.EditionId is { } edition ? EditionLinks.Report(edition, linkRadar) : EditionLinks.Home(linkRadar, null),
                "edition")));
        }

        return [.. lines.OrderByDescending(l => l.At).Take(ChangesShown)];
    }

    private static string? RadarIdForLinks(RadarView view, string? requested) =>
        requested is not null && view.Radars.FirstOrDefault(r => r.Id == requested) is { Default: false } ? requested : null;

    private static List<KpiView> Kpis(Measure measure)
    {
        var views = new List<KpiView>();
        var index = 0;
        foreach (var group in measure.Kpis.GroupBy(k => k.Name, StringComparer.Ordinal))
        {
            var values = group.OrderBy(k => k.AsOf ?? DateOnly.MinValue).ToList();
            var unit = values.Select(v => v.Unit).LastOrDefault(u => !string.IsNullOrWhiteSpace(u));
            var series = values.Count >= 2 && values.All(v => v.AsOf is not null) && values.Select(v => v.AsOf).Distinct().Count() == values.Count;
            views.Add(new KpiView(group.Key, unit, values, series ? KpiChart.Write(group.Key, unit, values, $"kpi-{++index}") : null));
        }

        return views;
    }

    private static List<TimelineEntry> Timeline(IReadOnlyList<MeasureChange> changes, RadarDefinition? radar) =>
        changes.Select(c => new TimelineEntry(
                c.At,
                c.Kind,
                GermanChanges.OnItsPage(c, radar),
                c.Kind == ChangeKinds.Created
                    ? []
                    : c.Fields
                        .Where(f => !GermanFields.IsBookkeeping(f.Field))
                        .Where(f => !(c.Kind == ChangeKinds.StatusChanged && f.Field == "status"))
                        .Select(f => new FieldChangeView(GermanFields.Name(f.Field), GermanChanges.FullValue(f.Field, f.Old, radar), GermanChanges.FullValue(f.Field, f.New, radar)))
                        .ToList()))
            .ToList();
}
