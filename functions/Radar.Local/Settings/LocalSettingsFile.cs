using System.Text.Json;

namespace Radar.Local.Settings;

/// <summary>
/// <c>local.settings.json</c> read the way Azure Functions Core Tools read it: <c>Values</c> become
/// app settings (environment variables win over them, as with <c>func start</c>), <c>Host</c> holds
/// the local port, <c>ConnectionStrings</c> become <c>ConnectionStrings:name</c>.
/// </summary>
public sealed record LocalSettingsFile(string Path, IReadOnlyDictionary<string, string?> Values, int? LocalHttpPort)
{
    public const string FileName = "local.settings.json";
    public const string SampleFileName = "local.settings.sample.json";

    private static readonly JsonDocumentOptions ReadOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>The first <c>local.settings.json</c> in the working directory, the function app's
    /// folder or the repository root; else the repository's <c>local.settings.sample.json</c>.</summary>
    public static string? Locate(string? repoRoot)
    {
        var candidates = new List<string> { System.IO.Path.Combine(Directory.GetCurrentDirectory(), FileName) };
        if (repoRoot is not null)
        {
            candidates.Add(System.IO.Path.Combine(repoRoot, "functions", "Radar.Functions", FileName));
            candidates.Add(System.IO.Path.Combine(repoRoot, FileName));
            candidates.Add(System.IO.Path.Combine(repoRoot, SampleFileName));
        }

        return candidates.FirstOrDefault(File.Exists);
    }

    public static LocalSettingsFile Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), ReadOptions);
        var root = document.RootElement;
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("Values", out var valuesElement) && valuesElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in valuesElement.EnumerateObject())
            {
                values[property.Name] = AsString(property.Value);
            }
        }

        if (root.TryGetProperty("ConnectionStrings", out var connectionStrings) && connectionStrings.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in connectionStrings.EnumerateObject())
            {
                values[$"ConnectionStrings:{property.Name}"] = AsString(property.Value);
            }
        }

        int? port = null;
        if (root.TryGetProperty("Host", out var host) && host.ValueKind == JsonValueKind.Object &&
            host.TryGetProperty("LocalHttpPort", out var portElement))
        {
            port = portElement.ValueKind == JsonValueKind.Number ? portElement.GetInt32() : int.Parse(portElement.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }

        return new LocalSettingsFile(System.IO.Path.GetFullPath(path), values, port);
    }

    /// <summary>Settings as configuration keys: <c>Radar__X</c> is also <c>Radar:X</c>, as the
    /// environment-variable provider maps it inside the worker.</summary>
    public IEnumerable<KeyValuePair<string, string?>> AsConfiguration()
    {
        foreach (var (key, value) in Values)
        {
            yield return new(key.Replace("__", ":", StringComparison.Ordinal), value);
        }
    }

    private static string? AsString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };
}
