using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Radar.Infra.Tests;

/// <summary>
/// <c>infra/main.bicep</c> compiled to an ARM template (once per test run, into a temp folder:
/// the repository stays as it is), with the few look-ups the tests need. Modules compile to
/// nested deployments whose template sits in <c>properties.template</c>.
/// </summary>
public static class CompiledTemplate
{
    private static readonly Lazy<Task<JsonObject>> Main = new(CompileAsync);

    public static Task<JsonObject> MainAsync() => Main.Value;

    /// <summary>The template of module <paramref name="symbolicName"/> of main.bicep.</summary>
    public static JsonObject Module(JsonObject main, string symbolicName) =>
        main["resources"]![symbolicName]!["properties"]!["template"]!.AsObject();

    /// <summary>The value main.bicep passes to parameter <paramref name="parameter"/> of a module.</summary>
    public static JsonNode? ModuleParameter(JsonObject main, string module, string parameter) =>
        main["resources"]![module]!["properties"]!["parameters"]![parameter]?["value"];

    /// <summary>Resources of <paramref name="type"/> in a template (symbolic-name form).</summary>
    public static IEnumerable<JsonObject> Resources(JsonObject template, string type) =>
        template["resources"]!.AsObject()
            .Select(r => r.Value!.AsObject())
            .Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The keys of a <c>createObject('k1', v1, 'k2', v2, …)</c> ARM expression, the form an object
    /// literal with computed values compiles to. Values can be string literals too, so the
    /// arguments are split properly rather than matched with a pattern.
    /// </summary>
    public static IReadOnlyList<string> CreateObjectKeys(string expression)
    {
        var keys = new List<string>();
        var at = 0;
        while ((at = expression.IndexOf("createObject(", at, StringComparison.Ordinal)) >= 0)
        {
            at += "createObject(".Length;
            var arguments = SplitArguments(expression, ref at);
            for (var i = 0; i < arguments.Count; i += 2)
            {
                keys.Add(arguments[i].Trim().Trim('\''));
            }
        }

        return keys;
    }

    private static List<string> SplitArguments(string text, ref int at)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        var inString = false;
        for (; at < text.Length; at++)
        {
            var c = text[at];
            if (inString)
            {
                current.Append(c);
                // ARM escapes a quote inside a string by doubling it.
                if (c == '\'' && !(at + 1 < text.Length && text[at + 1] == '\''))
                {
                    inString = false;
                }
                else if (c == '\'')
                {
                    current.Append(text[++at]);
                }

                continue;
            }

            switch (c)
            {
                case '\'':
                    inString = true;
                    current.Append(c);
                    break;
                case '(' or '[':
                    depth++;
                    current.Append(c);
                    break;
                case ')' when depth == 0:
                    arguments.Add(current.ToString());
                    at++;
                    return arguments;
                case ')' or ']':
                    depth--;
                    current.Append(c);
                    break;
                case ',' when depth == 0:
                    arguments.Add(current.ToString());
                    current.Clear();
                    break;
                default:
                    current.Append(c);
                    break;
            }
        }

        throw new FormatException("Unbalanced createObject( … ) in: " + text);
    }

    private static async Task<JsonObject> CompileAsync()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("radar-infra-").FullName, "main.json");
        var result = await BicepCli.RunAsync(Infra.Folder, "build", Infra.MainTemplate, "--outfile", output);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("bicep build infra/main.bicep failed: " + result);
        }

        var json = await File.ReadAllTextAsync(output);
        return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
    }
}
