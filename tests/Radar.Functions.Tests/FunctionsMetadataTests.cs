using System.Text.Json;
using Radar.Local.Functions;

namespace Radar.Functions.Tests;

/// <summary>The build writes <c>functions.metadata</c>, which the Functions host reads on Azure:
/// it must list every function the local runner serves, with the same route, methods and level.</summary>
public class FunctionsMetadataTests
{
    [Fact]
    public void Every_function_is_in_functions_metadata_as_the_runner_sees_it()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} should be written by the Functions SDK at build time");
        using var metadata = JsonDocument.Parse(File.ReadAllText(path));
        var listed = metadata.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f);

        var catalog = FunctionCatalog.Discover([typeof(RadarFunctionsServices).Assembly]);

        Assert.NotEmpty(catalog.Http);
        Assert.Equal(
            catalog.Http.Select(f => f.Name).Concat(catalog.Timers.Select(t => t.Name)).Concat(catalog.Queues.Select(q => q.Name)).Order(),
            listed.Keys.Order());
        foreach (var function in catalog.Http)
        {
            var trigger = listed[function.Name].GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            Assert.Equal(function.Route, trigger.GetProperty("route").GetString());
            Assert.Equal(function.AuthLevel.ToString(), trigger.GetProperty("authLevel").GetString());
            Assert.Equal(function.HttpMethods.Order(), trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order());
        }

        foreach (var timer in catalog.Timers)
        {
            var trigger = listed[timer.Name].GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "timerTrigger");
            Assert.Equal(timer.Schedule, trigger.GetProperty("schedule").GetString());
        }

        Assert.NotEmpty(catalog.Queues);
        foreach (var queue in catalog.Queues)
        {
            var trigger = listed[queue.Name].GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "queueTrigger");
            Assert.Equal(queue.QueueName, trigger.GetProperty("queueName").GetString());
            Assert.Equal(queue.Connection, trigger.TryGetProperty("connection", out var connection) ? connection.GetString() : null);
        }
    }
}
