using System.Text.Json;
using Microsoft.Playwright;

namespace Radar.Browser.Tests;

/// <summary>axe-core (from the repo's <c>node_modules</c>, pinned in package.json) run inside a
/// page for WCAG 2.1 A and AA.</summary>
public static class Axe
{
    private static readonly Lazy<string> Source = new(() =>
    {
        var path = Path.Combine(AzuriteFixture.RepoRoot, "node_modules", "axe-core", "axe.min.js");
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new InvalidOperationException($"{path} is missing: run 'npm ci' in the repository root.");
    });

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Violation(string Id, string Impact, string Help, string[] Nodes)
    {
        public override string ToString() => $"{Id} ({Impact}): {Help}\n    " + string.Join("\n    ", Nodes);
    }

    /// <summary>Violations of the page as it is now. The page's context must bypass the CSP,
    /// which (rightly) refuses the injected script.</summary>
    public static async Task<IReadOnlyList<Violation>> RunAsync(IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = Source.Value });
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document, {
                runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
              });
              return JSON.stringify(result.violations.map(v => ({
                id: v.id, impact: v.impact ?? "", help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + " — " + (n.failureSummary ?? "").replace(/\s+/g, " ")),
              })));
            }
            """);
        return JsonSerializer.Deserialize<List<Violation>>(json, Json)!;
    }
}
