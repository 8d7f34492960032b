using Radar.Core.Search;

namespace Radar.Core.Tests.Search;

/// <summary>The news listings read from the index (what /api/news, the feeds and a measure's
/// news show): their order, paging, filters, and that a changed item is never shown stale.</summary>
public sealed class ListingTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly RadarIndex _index = RadarIndex.InMemory();

    public void Dispose() => _index.Dispose();

    private static SearchDocument News(string id, DateTimeOffset date, string source, string record, params string[] related) => new()
    {
        Type = SearchDocumentTypes.News,
        Id = id,
        Title = "Meldung " + id,
        Date = date,
        RelatedMeasures = related,
        Record = record,
        ListedUnder = [NewsListingTerms.All, NewsListingTerms.Source(source)],
    };

    private List<string> Page(int skip, int take, params string[] listedUnder) =>
        [.. _index.ListRecords([NewsListingTerms.All, .. listedUnder], skip, take, json => json).Records];

    [Fact]
    public void Items_written_at_different_times_list_newest_first_with_equal_dates_by_key_and_every_page_once()
    {
        // One upsert each: every item lands in a segment of its own, as items of several ingests do.
        _index.Upsert(News("b", Noon, "a", "b"));
        _index.Upsert(News("d", Noon.AddHours(-1), "a", "d"));
        _index.Upsert(News("a", Noon, "b", "a"));
        _index.Upsert(News("c", Noon.AddHours(1), "b", "c"));
        _index.Upsert(News("e", Noon.AddDays(-3), "a", "e"));

        Assert.Equal(["c", "a", "b", "d", "e"], Page(0, 10));
        Assert.Equal(["c", "a"], Page(0, 2));
        Assert.Equal(["b", "d"], Page(2, 2));
        Assert.Equal(["e"], Page(4, 2));
        Assert.False(_index.ListRecords([NewsListingTerms.All], 4, 2, json => json).HasMore);
        Assert.True(_index.ListRecords([NewsListingTerms.All], 2, 2, json => json).HasMore);
        Assert.Equal(["b", "d", "e"], Page(0, 10, NewsListingTerms.Source("a")));
        Assert.Empty(Page(0, 10, NewsListingTerms.Source("nowhere")));
    }

    [Fact]
    public void A_measure_s_news_are_the_items_related_to_it_newest_first()
    {
        _index.Upsert(News("alt", Noon.AddDays(-2), "a", "alt", "muenchen:wlan"));
        _index.Upsert(News("neu", Noon, "a", "neu", "muenchen:wlan", "muenchen:e-akte"));
        _index.Upsert(News("fremd", Noon.AddDays(1), "a", "fremd", "muenchen:e-akte"));

        Assert.Equal(["neu", "alt"], _index.RelatedRecords("muenchen:wlan", 10, json => json));
        Assert.Equal(["neu"], _index.RelatedRecords("muenchen:wlan", 1, json => json));
        Assert.Empty(_index.RelatedRecords("muenchen:bibliothek", 10, json => json));
    }

    [Fact]
    public void An_item_written_again_is_read_with_its_new_record_and_a_deleted_one_is_gone()
    {
        _index.Upsert(News("n1", Noon, "a", "erste Fassung"));
        _index.Upsert(News("n2", Noon.AddHours(-1), "a", "bleibt"));
        Assert.Equal("erste Fassung", _index.ListedRecord("n1", json => json));
        Assert.Equal(["erste Fassung", "bleibt"], Page(0, 10));

        _index.Upsert(News("n1", Noon.AddHours(-2), "a", "zweite Fassung"));
        Assert.Equal("zweite Fassung", _index.ListedRecord("n1", json => json));
        Assert.Equal(["bleibt", "zweite Fassung"], Page(0, 10));

        Assert.True(_index.Delete(SearchDocumentTypes.News, "n1"));
        Assert.Null(_index.ListedRecord("n1", json => json));
        Assert.Equal(["bleibt"], Page(0, 10));
    }
}
