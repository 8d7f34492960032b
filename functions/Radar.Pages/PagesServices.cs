using Microsoft.Extensions.DependencyInjection;
using Radar.Pages.Rendering;

namespace Radar.Pages;

public static class PagesServices
{
    /// <summary>The citizens' pages: renderer, assets, the page service.</summary>
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddSingleton<StaticAssets>();
        services.AddSingleton<PageRenderer>();
        services.AddSingleton<CitizenPages>();
        services.AddSingleton<EditionPages>();
        return services;
    }
}
