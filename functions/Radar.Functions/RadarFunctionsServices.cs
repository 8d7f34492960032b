using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Hosting;
using Radar.Core.Measures;
using Radar.Core.Search.Serving;
using Radar.Core.Syndication;
using Radar.Functions.Http;
using Radar.Pages;

namespace Radar.Functions;

/// <summary>
/// The one place services are registered. <c>Program.cs</c> (the Functions worker) and the local
/// runner both call <see cref="AddRadarFunctions"/>, so both hosts run the same app.
/// </summary>
public static class RadarFunctionsServices
{
    public static IServiceCollection AddRadarFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRadarCore(configuration);
        services.AddMeasures(configuration);
        services.AddSearch(configuration);
        services.AddSyndication(configuration);
        services.AddPublicGet(configuration);
        services.AddPages();
        services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));
        return services;
    }

    /// <summary>JSON as the API documents it: camelCase, nulls left out, umlauts as they are.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // Answers are application/json, never inlined into HTML, so non-ASCII text can stay readable.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    }
}
