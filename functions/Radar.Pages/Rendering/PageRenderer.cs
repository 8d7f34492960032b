using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;

namespace Radar.Pages.Rendering;

/// <summary>An HTML page as the functions answer it.</summary>
public sealed record RenderedPage(int StatusCode, string Html);

/// <summary>Renders a Razor component to an HTML string with <see cref="HtmlRenderer"/>: text is
/// HTML-encoded by Razor; only markup that was sanitised (or written by an XML writer) is
/// inserted as a <see cref="MarkupString"/>.</summary>
public sealed class PageRenderer(IServiceProvider services, ILoggerFactory loggerFactory)
{
    public async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(services, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
    }
}
