using System.Reflection;

namespace Radar.Core.Search.Analysis;

/// <summary>The word lists that ship with Radar (<c>Search/Resources/*.txt</c>, embedded).</summary>
internal static class SearchResources
{
    public const string Synonyms = "synonyms.txt";
    public const string CompoundWords = "compound-words.txt";
    public const string CompoundNonParts = "compound-non-parts.txt";

    public static string ReadText(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Radar.Core.Search." + name)
            ?? throw new InvalidOperationException($"Search resource {name} is missing from Radar.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The non-empty lines of a word list, without <c>#</c> comments.</summary>
    public static IEnumerable<string> ReadLines(string name) =>
        ReadText(name).Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'));
}
