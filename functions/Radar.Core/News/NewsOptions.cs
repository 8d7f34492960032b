namespace Radar.Core.News;

/// <summary>Settings under <c>News:</c> (app settings <c>News__…</c>).</summary>
public sealed class NewsOptions
{
    public const string Section = "News";

    /// <summary>A feed with more characters than this (after decoding) is refused before it is
    /// parsed; also the XML reader's <c>MaxCharactersInDocument</c>. 10 million characters is
    /// about 10 MB of text: thousands of items.</summary>
    public int MaxFeedCharacters { get; set; } = 10_000_000;

    /// <summary>Sanitised HTML content of one item is cut (at an element boundary) beyond this
    /// many characters, so an item always fits a table entity.</summary>
    public int MaxContentCharacters { get; set; } = 200_000;
}
