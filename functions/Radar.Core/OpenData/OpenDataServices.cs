using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Radar.Core.OpenData;

public static class OpenDataServices
{
    /// <summary>The downloads and the DCAT-AP.de catalogue; needs <c>AddMeasures</c>.</summary>
    public static IServiceCollection AddOpenData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OpenDataOptions>().Bind(configuration.GetSection(OpenDataOptions.Section));
        services.AddSingleton<OpenDataService>();
        return services;
    }
}
