using Radar.Core.Search;
using Radar.Core.Syndication;
using Radar.Functions.Web;
using Radar.Pages.Picture;

namespace Radar.Functions.Tests.Web;

/// <summary>The binder's rules, one query string at a time (the HTTP answers to them are in
/// <see cref="EdgeTests"/> and the route tests).</summary>
public sealed class QueryBinderTests
{
    private static (T Value, QueryBinder Query) Bind<T>(string queryString, Func<QueryBinder, T> bind)
    {
        var query = QueryBinder.Parse(queryString);
        return (bind(query), query);
    }

    private static IEnumerable<string> Parameters(QueryBinder query) => query.Errors.Select(e => e.Parameter);

    [Fact]
    public void Defaults_make_a_first_page_of_twenty_by_relevance()
    {
        var (request, query) = Bind("?q=%20wlan%20", q => q.Search());

        Assert.True(query.IsValid);
        Assert.Equal("wlan", request.Query);
        Assert.Equal(1, request.Page);
        Assert.Equal(20, request.PageSize);
        Assert.Equal(SearchSort.Relevance, request.Sort);
    }

    [Theory]
    [InlineData("101")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("zwanzig")]
    public void A_bad_page_size_is_refused(string pageSize)
    {
        var (_, query) = Bind("?pageSize=" + pageSize, q => q.Search());

        Assert.Equal(["pageSize"], Parameters(query));
        Assert.Contains("1 to 100", query.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Paging_too_deep_is_refused_and_the_page_page_has_its_own_size()
    {
        Assert.Equal(["page"], Parameters(Bind("?page=101&pageSize=100", q => q.Search()).Query));
        Assert.True(Bind("?page=100&pageSize=100", q => q.Search()).Query.IsValid);
        var (request, query) = Bind("?page=3&pageSize=99", q => q.Search(fixedPageSize: 10));
        Assert.True(query.IsValid);
        Assert.Equal(10, request.PageSize);
    }

    [Theory]
    [InlineData("date", SearchSort.Date)]
    [InlineData("DATE", SearchSort.Date)]
    [InlineData("relevance", SearchSort.Relevance)]
    [InlineData("", SearchSort.Relevance)]
    public void Known_sorts_are_accepted(string sort, SearchSort expected) =>
        Assert.Equal(expected, Bind("?sort=" + sort, q => q.Search()).Value.Sort);

    [Fact]
    public void An_unknown_sort_is_refused() =>
        Assert.Equal("sort must be 'relevance' or 'date'.", Bind("?sort=title", q => q.Search()).Query.Message);

    [Theory]
    [InlineData("2020-13-01")]
    [InlineData("gestern")]
    [InlineData("01.02.2020")]
    [InlineData("2020-02-30")]
    public void A_bad_date_is_refused(string date)
    {
        var (_, query) = Bind("?from=" + date, q => q.Search());

        Assert.Equal(["from"], Parameters(query));
        Assert.Contains("YYYY-MM-DD", query.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_day_as_upper_bound_includes_that_day()
    {
        var request = Bind("?from=2020-01-01&to=2020-12-31", q => q.Search()).Value;

        Assert.Equal(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), request.From);
        Assert.Equal(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), request.To);
        Assert.Equal(new DateTimeOffset(2020, 5, 1, 12, 0, 0, TimeSpan.FromHours(2)),
            Bind("?from=2020-05-01T12:00:00%2B02:00", q => q.Search()).Value.From);
        Assert.Equal(["to"], Parameters(Bind("?from=2021-01-01&to=2020-01-01", q => q.Search()).Query));
    }

    [Fact]
    public void Ids_may_be_comma_separated_and_names_are_taken_whole()
    {
        Assert.Equal(["type"], Parameters(Bind("?type=massnahme", q => q.Search()).Query));
        var request = Bind("?type=measure,news&department=Referat%20f%C3%BCr%20Arbeit,%20Wirtschaft&department=IT-Referat", q => q.Search()).Value;

        Assert.Equal(["measure", "news"], request.Types);
        Assert.Equal(["Referat für Arbeit, Wirtschaft", "IT-Referat"], request.Departments);
    }

    [Fact]
    public void Several_errors_are_reported_together()
    {
        var (_, query) = Bind("?pageSize=500&sort=x&to=nie&q=a&q=b", q => q.Search());

        Assert.Equal(["pageSize", "q", "sort", "to"], Parameters(query).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_empty_value_is_no_value_and_unknown_parameters_are_ignored()
    {
        var (request, query) = Bind("?q=&page=&pageSize=%20&sort=&utm_source=newsletter", q => q.Search());

        Assert.True(query.IsValid, query.Message);
        Assert.Equal(("", 1, SearchRequest.DefaultPageSize, SearchSort.Relevance), (request.Query, request.Page, request.PageSize, request.Sort));
    }

    [Fact]
    public void A_list_of_too_many_or_too_long_values_is_refused()
    {
        Assert.Equal(["area"], Parameters(Bind("?" + string.Join('&', Enumerable.Range(0, 21).Select(i => $"area=a{i}")), q => q.Search()).Query));
        Assert.Equal(["tag"], Parameters(Bind("?tag=" + new string('x', 101), q => q.Search()).Query));
    }

    [Theory]
    [InlineData("?type=measure", "type must be 'change' or 'news'")]
    [InlineData("?type=news,foo", "'foo' is not")]
    [InlineData("?radar=a,b", "radar must be one radar id")]
    [InlineData("?measure=Nicht%20g%C3%BCltig", "measure must be one measure id")]
    public void A_feed_takes_changes_and_news_one_radar_and_one_measure(string queryString, string message) =>
        Assert.Contains(message, Bind(queryString, q => q.Feed(FeedLimits.Feed)).Query.Message, StringComparison.Ordinal);

    [Fact]
    public void Limit_and_page_size_are_one_capped_setting()
    {
        Assert.Equal(100, Bind("?pageSize=100", q => q.Feed(FeedLimits.Feed)).Value.Limit);
        Assert.Equal(7, Bind("?limit=7", q => q.Feed(FeedLimits.Feed)).Value.Limit);
        Assert.Contains("from 1 to 100", Bind("?limit=500", q => q.Feed(FeedLimits.Feed)).Query.Message, StringComparison.Ordinal);
        Assert.Contains("not both", Bind("?limit=5&pageSize=6", q => q.Feed(FeedLimits.Feed)).Query.Message, StringComparison.Ordinal);
        // The embed shows a short list: 5 unless asked, more is cut to 20.
        Assert.Equal(5, Bind("", q => q.Feed(FeedLimits.Embed)).Value.Limit);
        Assert.Equal(20, Bind("?limit=500", q => q.Feed(FeedLimits.Embed)).Value.Limit);
    }

    [Fact]
    public void The_same_saved_search_written_two_ways_binds_to_one_canonical_feed()
    {
        var a = Bind("?area=infrastruktur,stadtverwaltung&type=news&type=change&tag=WLAN&limit=20", q => q.Feed(FeedLimits.Feed)).Value;
        var b = Bind("?tag=WLAN&area=stadtverwaltung&area=infrastruktur", q => q.Feed(FeedLimits.Feed)).Value;

        Assert.Equal(a.Canonical(), b.Canonical());
        Assert.Equal(FeedEntryTypes.All, a.Types);
    }

    [Fact]
    public void The_picture_filter_knows_its_groupings()
    {
        Assert.Equal(RadarGrouping.Field, Bind("?group=FIELD", q => q.PictureFilter()).Value.Grouping);
        Assert.Equal(["group"], Parameters(Bind("?group=farbe", q => q.PictureFilter()).Query));
    }
}
