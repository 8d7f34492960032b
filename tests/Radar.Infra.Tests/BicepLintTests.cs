namespace Radar.Infra.Tests;

/// <summary>
/// <c>bicep build</c> and <c>bicep lint</c> of infra/ with the repository's bicepconfig.json
/// (every linter rule at warning or error). Bicep exits 0 on warnings, so the tests read its
/// diagnostics: any line at all is a failure.
/// </summary>
public class BicepLintTests
{
    public static TheoryData<string> BicepFiles() => new(Infra.BicepFiles());

    [Fact]
    public async Task Main_template_builds_to_an_arm_template_without_a_single_diagnostic()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("radar-build-").FullName, "main.json");

        var result = await BicepCli.RunAsync(Infra.Folder, "build", Infra.MainTemplate, "--outfile", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(BicepCli.Diagnostics(result));
        Assert.Contains("deploymentTemplate.json", await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Every_bicep_file_lints_clean(string file)
    {
        var result = await BicepCli.RunAsync(Infra.Folder, "lint", Path.Combine(Infra.Folder, file));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(BicepCli.Diagnostics(result));
    }

    // The check above must be able to fail: the same CLI and config catch a linter finding and a
    // property Flex Consumption does not know.
    [Theory]
    [InlineData("no-unused-params", "param forgotten string\n")]
    [InlineData("BCP037", """
        resource plan 'Microsoft.Web/serverfarms@2024-11-01' existing = {
          name: 'plan'
        }

        resource app 'Microsoft.Web/sites@2024-11-01' = {
          name: 'app'
          location: resourceGroup().location
          properties: {
            serverFarmId: plan.id
            functionAppConfig: {
              scaleAndConcurrency: {
                instanceMemoryMB: 2048
                maximumInstances: 40
              }
            }
          }
        }
        """)]
    public async Task A_template_with_a_finding_is_caught(string expected, string template)
    {
        var folder = Directory.CreateTempSubdirectory("radar-lint-").FullName;
        File.Copy(Path.Combine(Infra.Folder, "bicepconfig.json"), Path.Combine(folder, "bicepconfig.json"));
        var file = Path.Combine(folder, "broken.bicep");
        await File.WriteAllTextAsync(file, template, TestContext.Current.CancellationToken);

        var build = await BicepCli.RunAsync(folder, "build", file, "--stdout");
        var lint = await BicepCli.RunAsync(folder, "lint", file);

        Assert.Contains(BicepCli.Diagnostics(build).Concat(BicepCli.Diagnostics(lint)), d => d.Contains(expected, StringComparison.Ordinal));
    }
}
