using Microsoft.AspNetCore.Http;
using Radar.Core;
using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;
using Radar.Core.Vocabulary;
using Radar.Pages.Components;
using Radar.Pages.Models;
using Radar.Pages.Rendering;

namespace Radar.Pages;

/// <summary>
/// The pages of the radar in time: the yearly report (<c>/bericht/{edition}</c>) and the comparison
/// of two moments (<c>/vergleich?von=…&amp;bis=…</c>). Both ask <see cref="RadarTimeQueries"/> and
/// turn its problems into the German error pages, naming the field that was wrong.
/// </summary>
public sealed class EditionPages(RadarTimeQueries time, CitizenPages pages, PageRenderer renderer, TimeProvider clock)
{
    /// <summary><c>/bericht/{edition}</c>; an unknown radar or edition is the German 404 page.</summary>
    /// <param name="origin">Scheme and host the reader reached us at: the report's links are
    /// absolute, so the printed report spells out where they lead.</param>
    public async Task<RenderedPage> ReportAsync(string? radarId, string editionId, string origin, CancellationToken cancellationToken)
    {
        var result = await time.GetEditionReportAsync(radarId, editionId, cancellationToken);
        if (result.Value is not { } report)
        {
            return await pages.ErrorAsync(result.Problem!.Parameter == "radar"
                ? new ErrorPageModel("Radar nicht gefunden", $"Ein Radar „{radarId}“ gibt es hier nicht.")
                : new ErrorPageModel("Bericht nicht gefunden", $"Einen Bericht „{editionId}“ gibt es für dieses Radar nicht. {await KnownAsync(radarId, cancellationToken)}"));
        }

        var list = (await time.ListEditionsAsync(report.Radar.Radar.Id, cancellationToken)).Value;
        var editions = list?.Editions ?? [];
        var index = editions.ToList().FindIndex(e => e.Id == report.Edition.Id);
        // Newest first: the next report is the one before this in the list.
        var next = index > 0 ? editions[index - 1] : null;
        var forLinks = list is { Radar.Default: false } ? list.Radar.Id : null;
        var model = new ReportPageModel(report, next is null ? null : new EditionRef(next.Id, next.Title, next.Published), origin, forLinks);
        return new RenderedPage(StatusCodes.Status200OK, await renderer.RenderAsync<ReportPage>(new Dictionary<string, object?> { ["Model"] = model }));
    }

    /// <summary><c>/vergleich?von=…&amp;bis=…</c>: each a date (<c>JJJJ-MM-TT</c>), an edition id or
    /// (<c>bis</c>) <see cref="EditionLinks.Now"/>. Missing: <c>von</c> is the edition before the
    /// newest, <c>bis</c> the newest. A value that is not allowed is the German 400 page naming
    /// <c>von</c> or <c>bis</c>; an unknown edition or a day before the first record, 404.</summary>
    public async Task<RenderedPage> CompareAsync(string? radarId, string? from, string? to, CancellationToken cancellationToken)
    {
        var list = await time.ListEditionsAsync(radarId, cancellationToken);
        if (list.Value is not { } known)
        {
            return await pages.ErrorAsync(new ErrorPageModel("Radar nicht gefunden", radarId is null
                ? "Es wurde noch kein Radar eingelesen. Bitte versuchen Sie es später noch einmal."
                : $"Ein Radar „{radarId}“ gibt es hier nicht."));
        }

        var editions = known.Editions;
        from ??= editions.Count switch
        {
            0 => null,
            1 => editions[0].Id,
            _ => editions[1].Id,
        };
        to ??= editions.Count > 0 ? editions[0].Id : EditionLinks.Now;
        if (from is null)
        {
            return await BadAsync("von", "Bitte geben Sie für „von“ einen Tag (JJJJ-MM-TT) an; dieses Radar hat keine Ausgaben.");
        }

        var today = BerlinTime.DateOf(clock.GetUtcNow());
        foreach (var (field, value) in new[] { ("von", from), ("bis", to) })
        {
            if (field == "bis" && value == EditionLinks.Now)
            {
                continue;
            }

            if (BerlinTime.LooksLikeDate(value))
            {
                if (!BerlinTime.TryParseDate(value, out var date))
                {
                    return await BadAsync(field, $"„{field}“ ist kein gültiges Datum: „{Shorten(value)}“. Bitte einen Tag als JJJJ-MM-TT angeben, zum Beispiel {BerlinTime.Format(today)}.");
                }

                if (date > today)
                {
                    return await BadAsync(field, $"„{field}“ liegt in der Zukunft ({German.Date(date)}). Bitte einen Tag bis heute wählen.");
                }
            }
            else if (!Slug.IsValid(value, EditionInfo.MaxIdLength))
            {
                return await BadAsync(field, $"„{field}“ muss ein Tag (JJJJ-MM-TT) oder eine Ausgabe wie „2024“ sein, nicht „{Shorten(value)}“.");
            }
        }

        var result = await time.GetDiffAsync(known.Radar.Id, from, to == EditionLinks.Now ? null : to, cancellationToken);
        if (result.Value is not { } diff)
        {
            var problem = result.Problem!;
            var field = problem.Parameter == "to" ? "bis" : "von";
            var value = field == "bis" ? to : from;
            return problem.Status == StatusCodes.Status400BadRequest
                ? await BadAsync(field, $"„von“ ({from}) liegt nach „bis“ ({to}). Bitte den früheren Zeitpunkt als „von“ angeben.")
                : await pages.ErrorAsync(new ErrorPageModel("Stand nicht gefunden", BerlinTime.LooksLikeDate(value)
                    ? $"Für „{field}“ ({value}) gibt es keinen Stand: das Radar beginnt später. {Known(editions)}"
                    : $"Für „{field}“ gibt es keine Ausgabe „{value}“. {Known(editions)}"));
        }

        var choices = editions.Select(e => new CompareChoice(e.Id, $"{e.Title} ({German.Date(e.Published)})")).ToList();
        var model = new ComparePageModel(
            known.Radar,
            diff,
            from,
            to,
            choices,
            Label(from, editions),
            Label(to, editions),
            known.Radar.Default ? null : known.Radar.Id);
        return new RenderedPage(StatusCodes.Status200OK, await renderer.RenderAsync<ComparePage>(new Dictionary<string, object?> { ["Model"] = model }));
    }

    private static string Label(string value, IReadOnlyList<EditionListItem> editions) =>
        value == EditionLinks.Now ? "heute (aktueller Stand)"
        : editions.FirstOrDefault(e => e.Id == value) is { } edition ? $"{edition.Title} ({German.Date(edition.Published)})"
        : BerlinTime.TryParseDate(value, out var date) ? "Stand " + German.Date(date)
        : value;

    private Task<RenderedPage> BadAsync(string field, string message) =>
        pages.ErrorAsync(new ErrorPageModel($"Ungültige Angabe für „{field}“", message, StatusCodes.Status400BadRequest));

    private async Task<string> KnownAsync(string? radarId, CancellationToken cancellationToken) =>
        Known((await time.ListEditionsAsync(radarId, cancellationToken)).Value?.Editions ?? []);

    private static string Known(IReadOnlyList<EditionListItem> editions) => editions.Count == 0
        ? "Dieses Radar hat keine Ausgaben."
        : "Ausgaben: " + GermanLabels.All([.. editions.Select(e => e.Id).Reverse()]) + ".";

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
