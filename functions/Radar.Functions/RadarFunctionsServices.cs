using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Hosting;
using Radar.Core.Measures.Ingest;
using Radar.Core.OpenData;
using Radar.Core.Search.Serving;
using Radar.Core.Syndication;
using Radar.Core.WebSub;
using Radar.Functions.Web;
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
        services.AddOpenData(configuration);
        services.AddSearch(configuration);
        services.AddSyndication(configuration);
        services.AddWebSub(configuration);
        services.AddPublicGet(configuration);
        services.AddPages();
        // The routes of this app's functions, for the API fallback's 404 and 405; the local runner
        // replaces it with the routes of every assembly it serves (its tests add functions).
        services.AddSingleton(_ => FunctionRoutes.Of([typeof(RadarFunctionsServices).Assembly]));
        services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        return services;
    }
}
