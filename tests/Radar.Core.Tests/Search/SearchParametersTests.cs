using Radar.Core.Search;

namespace Radar.Core.Tests.Search;

public sealed class SearchParametersTests
{
    [Fact]
    public void Defaults_make_a_first_page_of_twenty_by_relevance()
    {
        var validation = new SearchParameters { Q = " wlan " }.Validate();
        Assert.True(validation.IsValid);
        var request = validation.Request!;
        Assert.Equal("wlan", request.Query);
        Assert.Equal(1, request.Page);
        Assert.Equal(20, request.PageSize);
        Assert.Equal(SearchSort.Relevance, request.Sort);
    }

    [Theory]
    [InlineData("101", "pageSize")]
    [InlineData("0", "pageSize")]
    [InlineData("-5", "pageSize")]
    [InlineData("zwanzig", "pageSize")]
    public void A_bad_page_size_is_refused(string pageSize, string parameter)
    {
        var validation = new SearchParameters { PageSize = pageSize }.Validate();
        Assert.False(validation.IsValid);
        Assert.Equal(parameter, Assert.Single(validation.Errors).Parameter);
        Assert.Contains("1 to 100", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_size_of_one_hundred_is_fine() =>
        Assert.Equal(100, new SearchParameters { PageSize = "100" }.Validate().Request!.PageSize);

    [Fact]
    public void Paging_too_deep_is_refused()
    {
        var validation = new SearchParameters { Page = "101", PageSize = "100" }.Validate();
        Assert.Equal("page", Assert.Single(validation.Errors).Parameter);
        Assert.True(new SearchParameters { Page = "100", PageSize = "100" }.Validate().IsValid);
    }

    [Theory]
    [InlineData("date", SearchSort.Date)]
    [InlineData("DATE", SearchSort.Date)]
    [InlineData("relevance", SearchSort.Relevance)]
    [InlineData("", SearchSort.Relevance)]
    public void Known_sorts_are_accepted(string sort, SearchSort expected) =>
        Assert.Equal(expected, new SearchParameters { Sort = sort }.Validate().Request!.Sort);

    [Fact]
    public void An_unknown_sort_is_refused()
    {
        var validation = new SearchParameters { Sort = "title" }.Validate();
        Assert.Equal("sort", Assert.Single(validation.Errors).Parameter);
        Assert.Equal("sort must be 'relevance' or 'date'.", validation.Message);
    }

    [Theory]
    [InlineData("2020-13-01")]
    [InlineData("gestern")]
    [InlineData("01.02.2020")]
    [InlineData("2020-02-30")]
    public void A_bad_date_is_refused(string date)
    {
        var validation = new SearchParameters { From = date }.Validate();
        Assert.Equal("from", Assert.Single(validation.Errors).Parameter);
        Assert.Contains("YYYY-MM-DD", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_day_as_upper_bound_includes_that_day()
    {
        var request = new SearchParameters { From = "2020-01-01", To = "2020-12-31" }.Validate().Request!;
        Assert.Equal(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), request.From);
        Assert.Equal(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), request.To);
        Assert.Equal(new DateTimeOffset(2020, 5, 1, 12, 0, 0, TimeSpan.FromHours(2)),
            new SearchParameters { From = "2020-05-01T12:00:00+02:00" }.Validate().Request!.From);
    }

    [Fact]
    public void From_after_to_is_refused() =>
        Assert.Equal("to", Assert.Single(new SearchParameters { From = "2021-01-01", To = "2020-01-01" }.Validate().Errors).Parameter);

    [Fact]
    public void An_unknown_type_is_refused_and_lists_can_be_comma_separated()
    {
        Assert.Equal("type", Assert.Single(new SearchParameters { Type = ["massnahme"] }.Validate().Errors).Parameter);
        Assert.Equal(["measure", "news"], new SearchParameters { Type = ["measure,news"] }.Validate().Request!.Types);
        Assert.Equal(["IT-Referat", "Kulturreferat"], new SearchParameters { Department = ["IT-Referat", "Kulturreferat"] }.Validate().Request!.Departments);
    }

    [Fact]
    public void Several_errors_are_reported_together()
    {
        var validation = new SearchParameters { PageSize = "500", Sort = "x", To = "nie" }.Validate();
        Assert.Equal(["pageSize", "sort", "to"], validation.Errors.Select(e => e.Parameter));
    }
}
