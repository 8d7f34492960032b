using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.News;

namespace Radar.Browser.Tests;

/// <summary>Radar with the sample radars for a test class. The WLAN measure has a history
/// (status „In Umsetzung“ → „Umgesetzt“, progress 70 → 100) and two news items about it; the
/// E-Akte's description tries to run script in three ways, and so does a news item about it.
/// The fixture waits until the search index answers with the news. A second Radar
/// (<see cref="Editions"/>) has Munich with its five editions (2020–2024), for the pages of the
/// radar in time.</summary>
public sealed class SiteFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public const string HostileMeasure = "elektronische-akte";
    public const string WlanNewsTitle = "M-WLAN: 46 neue Hotspots am Marienplatz";
    public const string HostileNewsTitle = "E-Akte im Kreisverwaltungsreferat eingeführt";

    /// <summary>Script three ways: an element, an event handler, a javascript: URL.</summary>
    public const string HostileHtml =
        "<p>Die Akte wird <b>digital</b>.</p><script>window.pwned = 1</script>" +
        "<img src=\"/gibt-es-nicht.png\" onerror=\"window.pwned = 2\" alt=\"\"><a href=\"javascript:window.pwned = 3\">Mehr</a>";

    private static readonly NewsSourceRef Portal = new("stadtportal-muenchen", "Stadtportal München");

    private SampleRadars? _radars;
    private SampleRadars? _editions;

    public RadarApp App => _radars?.App ?? throw new InvalidOperationException("Not started.");

    /// <summary>Munich with the editions 2020–2024, nothing edited.</summary>
    public RadarApp Editions => _editions?.App ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        _radars = await SampleRadars.StartAsync(azurite, timeout.Token);
        _editions = await SampleRadars.StartAsync(azurite, timeout.Token, SampleEditions.Settings());
        await _radars.EditAndIngestAsync(measure =>
        {
            var wlan = measure("oeffentliches-wlan");
            wlan["status"] = "umgesetzt";
            wlan["progress"] = 100;
            measure(HostileMeasure)["description"] = HostileHtml;
        }, timeout.Token);

        var news = _radars.App.Services.GetRequiredService<CrossSourceDedupe>();
        // After the second ingest: the newest entries of a feed are news, then the WLAN change.
        var now = DateTimeOffset.UtcNow;
        await news.StoreAsync(News("wlan-hotspots", WlanNewsTitle, now.AddMilliseconds(1), ["Hotspot"], ["oeffentliches-wlan"],
            "<p>Die Stadtwerke München haben <strong>46</strong> neue WLAN-Hotspots in Betrieb genommen.</p>"), timeout.Token);
        await news.StoreAsync(News("wlan-bibliotheken", "Freies WLAN jetzt in allen Stadtbibliotheken", now.AddMilliseconds(2), ["Bibliothek"], ["oeffentliches-wlan"],
            "<p>Auch die Stadtbibliothek Sendling hat jetzt WLAN.</p>"), timeout.Token);
        await news.StoreAsync(News("e-akte-kvr", HostileNewsTitle, now.AddMilliseconds(3), ["E-Akte"], [HostileMeasure],
            HostileHtml + "<svg onload=\"window.pwned = 4\"></svg>"), timeout.Token);
        // News written straight to the store (not through the news ingest, which tells the index)
        // reach the index by a rebuild from the tables; then wait until the replica answers with them.
        using (var reindex = new HttpRequestMessage(HttpMethod.Post, "api/admin/reindex"))
        {
            reindex.Headers.Add("x-functions-key", RadarApp.FunctionKey);
            using var response = await App.Client.SendAsync(reindex, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Reindex answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(timeout.Token)}");
            }
        }

        await Eventually.WaitForAsync(
            async () =>
            {
                using var response = await App.Client.GetAsync("api/search?q=Hotspots&type=news", timeout.Token);
                return response.StatusCode == HttpStatusCode.OK
                    ? JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token))!["total"]!.GetValue<int>()
                    : 0;
            },
            total => total > 0,
            "the search index to answer with the news",
            TimeSpan.FromMinutes(2));
    }

    public async ValueTask DisposeAsync()
    {
        if (_radars is not null)
        {
            await _radars.DisposeAsync();
        }

        if (_editions is not null)
        {
            await _editions.DisposeAsync();
        }
    }

    private static NewsItem News(string key, string title, DateTimeOffset published, string[] tags, string[] related, string html) => new()
    {
        Key = key,
        Title = title,
        Link = $"https://news.example/{key}",
        Published = published,
        Summary = "Meldung des Stadtportals.",
        ContentHtml = html,
        Author = "Redaktion",
        Tags = tags,
        Language = "de",
        Sources = [Portal],
        RelatedMeasures = related,
    };
}
