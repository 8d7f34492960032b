using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Radar.Infra.Tests;

/// <summary>What the compiled template must say for Radar to run on Flex Consumption without keys.</summary>
public partial class TemplateTests
{
    // App settings Flex Consumption no longer takes (runtime and deployment moved into
    // functionAppConfig), and settings that would put a secret into the app's configuration.
    private static readonly string[] NotOnFlexOrSecret =
    [
        "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_NODE_DEFAULT_VERSION", "SCM_DO_BUILD_DURING_DEPLOYMENT", "ENABLE_ORYX_BUILD",
        "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT", "WEBSITE_TIME_ZONE", "TZ",
        "AzureWebJobsStorage", "APPINSIGHTS_INSTRUMENTATIONKEY", "AzureWebJobsDashboard",
    ];

    [Fact]
    public async Task The_app_runs_dotnet_isolated_10_on_a_flex_consumption_plan()
    {
        var app = CompiledTemplate.Module(await CompiledTemplate.MainAsync(), "functionApp");

        var plan = Assert.Single(CompiledTemplate.Resources(app, "Microsoft.Web/serverfarms"));
        var site = Assert.Single(CompiledTemplate.Resources(app, "Microsoft.Web/sites"));

        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        var config = site["properties"]!["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        // "10" is accepted by ARM and leaves an app that never starts (Azure/Azure-Functions#2666).
        Assert.Equal("10.0", (string?)config["runtime"]!["version"]);
        Assert.Equal("blobContainer", (string?)config["deployment"]!["storage"]!["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]!["storage"]!["authentication"]!["type"]);
        Assert.Equal(true, (bool?)site["properties"]!["httpsOnly"]);
    }

    [Fact]
    public async Task App_settings_are_identity_based_and_hold_nothing_flex_rejects()
    {
        var main = await CompiledTemplate.MainAsync();
        var settings = (string?)CompiledTemplate.ModuleParameter(main, "functionApp", "settings");
        Assert.NotNull(settings);

        var names = CompiledTemplate.CreateObjectKeys(settings);

        Assert.Contains("AzureWebJobsStorage__blobServiceUri", names);
        Assert.Contains("AzureWebJobsStorage__tableServiceUri", names);
        Assert.Contains("AzureWebJobsStorage__queueServiceUri", names);
        Assert.Contains("WebSubQueue", names);
        Assert.Contains("AzureWebJobsStorage__credential", names);
        Assert.Contains("AzureWebJobsStorage__clientId", names);
        Assert.Contains("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", names);
        Assert.Contains("'AzureWebJobsStorage__credential', 'managedidentity'", settings, StringComparison.Ordinal);
        Assert.Empty(names.Intersect(NotOnFlexOrSecret, StringComparer.OrdinalIgnoreCase));
        Assert.DoesNotContain("AccountKey", settings, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listKeys", settings, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Storage_takes_https_and_tls_1_2_only_with_no_anonymous_and_no_key_access()
    {
        var main = await CompiledTemplate.MainAsync();
        var storage = CompiledTemplate.Module(main, "storage");

        var account = Assert.Single(CompiledTemplate.Resources(storage, "Microsoft.Storage/storageAccounts"))["properties"]!;

        Assert.Equal(true, (bool?)account["supportsHttpsTrafficOnly"]);
        Assert.Equal("TLS1_2", (string?)account["minimumTlsVersion"]);
        Assert.Equal(false, (bool?)account["allowBlobPublicAccess"]);
        Assert.Equal(true, (bool?)account["defaultToOAuthAuthentication"]);
        Assert.Equal("[parameters('allowSharedKeyAccess')]", (string?)account["allowSharedKeyAccess"]);
        Assert.Equal("[parameters('allowSharedKeyAccess')]", (string?)CompiledTemplate.ModuleParameter(main, "storage", "allowSharedKeyAccess"));
        Assert.Equal(false, (bool?)main["parameters"]!["allowSharedKeyAccess"]!["defaultValue"]);
        var container = Assert.Single(CompiledTemplate.Resources(storage, "Microsoft.Storage/storageAccounts/blobServices/containers"));
        Assert.Equal("None", (string?)container["properties"]!["publicAccess"]);
    }

    [Fact]
    public async Task The_app_identity_gets_blob_owner_table_and_queue_contributor_and_metrics_publisher_and_nothing_else()
    {
        var roles = CompiledTemplate.Module(await CompiledTemplate.MainAsync(), "roles");
        var variables = roles["variables"]!.AsObject();

        var appRoles = CompiledTemplate.Resources(roles, "Microsoft.Authorization/roleAssignments")
            .Where(r => !r.ContainsKey("condition"))
            .Select(r => RoleName(variables, (string)r["properties"]!["roleDefinitionId"]!))
            .Order(StringComparer.Ordinal)
            .ToList();
        var operatorRoles = CompiledTemplate.Resources(roles, "Microsoft.Authorization/roleAssignments")
            .Where(r => r.ContainsKey("condition"))
            .Select(r => RoleName(variables, (string)r["properties"]!["roleDefinitionId"]!))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(["monitoringMetricsPublisher", "storageBlobDataOwner", "storageQueueDataContributor", "storageTableDataContributor"], appRoles);
        Assert.Equal(["storageBlobDataReader", "storageTableDataReader"], operatorRoles);
        Assert.Equal("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", (string?)variables["storageBlobDataOwner"]);
        Assert.Equal("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", (string?)variables["storageTableDataContributor"]);
        Assert.Equal("3913510d-42f4-4e42-8a64-420c390055eb", (string?)variables["monitoringMetricsPublisher"]);
        Assert.Equal("974c5e8b-45b9-4653-ba55-5f855dd0fb88", (string?)variables["storageQueueDataContributor"]);
    }

    [Fact]
    public async Task Telemetry_goes_to_a_workspace_without_local_key_authentication()
    {
        var monitoring = CompiledTemplate.Module(await CompiledTemplate.MainAsync(), "monitoring");

        var component = Assert.Single(CompiledTemplate.Resources(monitoring, "Microsoft.Insights/components"))["properties"]!;

        Assert.Equal(true, (bool?)component["DisableLocalAuth"]);
        Assert.NotNull(component["WorkspaceResourceId"]);
    }

    /// <summary>
    /// README.md's configuration table lists every setting the app reads. Each must reach Azure:
    /// as an app setting main.bicep sets, or through a parameter (main.parameters.json's
    /// radarSettings). Settings of the local runner and of the local storage form are exempt.
    /// </summary>
    [Fact]
    public async Task Every_setting_in_the_readme_reaches_azure()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Infra.RepoRoot, "README.md"), TestContext.Current.CancellationToken);
        var bicep = string.Concat(Infra.BicepFiles().Select(f => File.ReadAllText(Path.Combine(Infra.Folder, f))));
        var parameters = await File.ReadAllTextAsync(Infra.ParametersFile, TestContext.Current.CancellationToken);

        var settings = SettingRow().Matches(readme).Select(m => m.Groups["name"].Value).Distinct().ToList();
        var missing = settings
            .Where(s => !IsLocalOnly(s))
            .Where(s => !bicep.Contains(s, StringComparison.Ordinal) && !parameters.Contains($"\"{s}\"", StringComparison.Ordinal))
            .ToList();

        Assert.Contains("Radar__StoragePrefix", settings);
        Assert.True(missing.Count == 0,
            "Settings in README.md that infra/ does not set: " + string.Join(", ", missing) +
            ". Add each to the app settings in infra/main.bicep (with a parameter when a city chooses it) " +
            "or to radarSettings in infra/main.parameters.json.");
    }

    [Fact]
    public async Task The_sample_parameters_fit_the_template()
    {
        var template = (await CompiledTemplate.MainAsync())["parameters"]!.AsObject();
        var file = JsonNode.Parse(await File.ReadAllTextAsync(Infra.ParametersFile, TestContext.Current.CancellationToken))!;
        var given = file["parameters"]!.AsObject();

        var unknown = given.Select(p => p.Key).Where(k => !template.ContainsKey(k)).ToList();
        var requiredMissing = template.Where(p => p.Value!["defaultValue"] is null && !given.ContainsKey(p.Key)).Select(p => p.Key).ToList();
        var violations = given.Where(p => template.ContainsKey(p.Key))
            .SelectMany(p => Violations(p.Key, template[p.Key]!, p.Value!["value"]))
            .ToList();

        Assert.Empty(unknown);
        Assert.Empty(requiredMissing);
        Assert.Empty(violations);
        Assert.Equal("radar-muenchen", (string?)given["name"]!["value"]);
    }

    private static bool IsLocalOnly(string setting) =>
        setting.StartsWith("LocalRunner__", StringComparison.Ordinal) ||
        // Flex takes the worker runtime from functionAppConfig.runtime.
        setting == "FUNCTIONS_WORKER_RUNTIME" ||
        // On Azure the connection is identity-based: AzureWebJobsStorage__blobServiceUri etc.
        setting == "AzureWebJobsStorage";

    private static IEnumerable<string> Violations(string name, JsonNode definition, JsonNode? value)
    {
        if (definition["allowedValues"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            yield return $"{name}: {value} is not one of {allowed.ToJsonString()}";
        }

        if (definition["minValue"] is { } min && value is JsonValue v && v.GetValue<long>() < min.GetValue<long>())
        {
            yield return $"{name}: {value} is below {min}";
        }

        if (definition["maxValue"] is { } max && value is JsonValue w && w.GetValue<long>() > max.GetValue<long>())
        {
            yield return $"{name}: {value} is above {max}";
        }

        if (definition["maxLength"] is { } maxLength && value is JsonValue s && s.TryGetValue<string>(out var text) && text.Length > maxLength.GetValue<int>())
        {
            yield return $"{name}: '{text}' is longer than {maxLength}";
        }

        if (definition["minLength"] is { } minLength && value is JsonValue t && t.TryGetValue<string>(out var text2) && text2.Length < minLength.GetValue<int>())
        {
            yield return $"{name}: '{text2}' is shorter than {minLength}";
        }
    }

    private static string RoleName(JsonObject variables, string roleDefinitionId)
    {
        var match = VariableReference().Match(roleDefinitionId);
        Assert.True(match.Success, $"Role definition id is not built from a named variable: {roleDefinitionId}");
        Assert.True(variables.ContainsKey(match.Groups[1].Value), roleDefinitionId);
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"^\|\s*`(?<name>[A-Za-z_][A-Za-z0-9_]*)`\s*\|", RegexOptions.Multiline)]
    private static partial Regex SettingRow();

    [GeneratedRegex(@"variables\('([A-Za-z0-9]+)'\)")]
    private static partial Regex VariableReference();
}
