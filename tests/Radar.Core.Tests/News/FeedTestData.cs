using System.Text;
using Radar.Core.News;

namespace Radar.Core.Tests.News;

/// <summary>Each format's test feeds live beside its tests: <c>News/Rss</c>, <c>News/Atom</c>,
/// <c>News/Rdf</c>, <c>News/JsonFeed</c>.</summary>
internal static class FeedTestData
{
    public static string Folder(string format) =>
        Path.Combine(AzuriteFixture.RepoRoot, "tests", "Radar.Core.Tests", "News", format);

    public static NewsFeedResult Parse(string format, string file, string contentType = "application/xml") =>
        new NewsTesting().Parse(File.ReadAllBytes(Path.Combine(Folder(format), file)), contentType);

    /// <summary>Line and column (1-based) of <paramref name="marker"/> in a test file.</summary>
    public static (int Line, int Column) Where(string format, string file, string marker)
    {
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(Folder(format), file)));
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{marker} in {file}");
        var line = text[..at].Count(c => c == '\n') + 1;
        var column = at - text.LastIndexOf('\n', Math.Max(at - 1, 0));
        return (line, column);
    }
}
