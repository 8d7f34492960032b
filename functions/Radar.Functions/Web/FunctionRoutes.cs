using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Radar.Functions.Web;

/// <summary>An HTTP-triggered function as both hosts route it: its name, route template (without
/// the host's prefix, which is empty), methods (upper case) and authorization level.</summary>
public sealed record FunctionRoute(string Name, MethodInfo Method, string Template, IReadOnlyList<string> Methods, AuthorizationLevel Level);

/// <summary>
/// The HTTP routes of the app's functions, read once from the <c>[Function]</c> and
/// <c>[HttpTrigger]</c> attributes — what the Functions SDK writes into <c>functions.metadata</c>
/// and the local runner maps (its <c>FunctionCatalog</c> is built on this). The API fallback asks
/// it which routes a path belongs to, so its 405 names exactly the methods that path takes.
/// </summary>
public sealed class FunctionRoutes
{
    /// <summary>Methods in the order <c>Allow</c> lists them.</summary>
    public static readonly IReadOnlyList<string> AllMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    private readonly IReadOnlyList<(FunctionRoute Route, TemplateMatcher Matcher, IReadOnlyList<(string Parameter, IRouteConstraint Constraint)> Constraints)> _api;

    private FunctionRoutes(IReadOnlyList<FunctionRoute> all)
    {
        All = all;
        var resolver = new DefaultInlineConstraintResolver(Options.Create(new RouteOptions()), EmptyServices.Instance);
        // Only routes under api/ are ever matched here (the fallback's own paths); the pages' 404
        // route (a regex constraint) is left alone.
        _api = [.. all
            .Where(r => r.Template.StartsWith("api/", StringComparison.OrdinalIgnoreCase))
            .Select(r =>
            {
                var template = TemplateParser.Parse(r.Template);
                var constraints = template.Parameters
                    .SelectMany(p => p.InlineConstraints.Select(c => (p.Name!, resolver.ResolveConstraint(c.Constraint)
                        ?? throw new InvalidOperationException($"Function '{r.Name}': unknown route constraint '{c.Constraint}'."))))
                    .ToList();
                return (r, new TemplateMatcher(template, new RouteValueDictionary()), (IReadOnlyList<(string, IRouteConstraint)>)constraints);
            })];
    }

    public IReadOnlyList<FunctionRoute> All { get; }

    /// <summary>Every HTTP function of <paramref name="assemblies"/>, in name order.</summary>
    public static FunctionRoutes Of(IEnumerable<Assembly> assemblies)
    {
        var routes = new List<FunctionRoute>();
        var methods = assemblies.Distinct()
            .SelectMany(a => a.GetExportedTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly));
        foreach (var method in methods)
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { } function
                || method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>().FirstOrDefault() is not { } trigger)
            {
                continue;
            }

            // No methods named: the host takes every method.
            var declared = trigger.Methods is { Length: > 0 } m ? m.Select(x => x.ToUpperInvariant()).ToHashSet() : [.. AllMethods];
            routes.Add(new FunctionRoute(
                function.Name,
                method,
                trigger.Route ?? function.Name,
                [.. AllMethods.Where(declared.Contains), .. declared.Where(d => !AllMethods.Contains(d)).Order(StringComparer.Ordinal)],
                trigger.AuthLevel));
        }

        return new FunctionRoutes([.. routes.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)]);
    }

    /// <summary>The API routes whose template matches <paramref name="path"/> (constraints
    /// included), leaving out the one named <paramref name="except"/>.</summary>
    public IReadOnlyList<FunctionRoute> Matching(PathString path, string except)
    {
        var matches = new List<FunctionRoute>();
        foreach (var (route, matcher, constraints) in _api)
        {
            var values = new RouteValueDictionary();
            if (route.Name != except
                && matcher.TryMatch(path, values)
                && constraints.All(c => c.Constraint.Match(null, null, c.Parameter, values, RouteDirection.IncomingRequest)))
            {
                matches.Add(route);
            }
        }

        return matches;
    }

    /// <summary>The methods of <paramref name="routes"/> as <c>Allow</c> lists them.</summary>
    public static string Allow(IEnumerable<FunctionRoute> routes)
    {
        var methods = routes.SelectMany(r => r.Methods).ToHashSet(StringComparer.Ordinal);
        return string.Join(", ", AllMethods.Where(methods.Contains).Concat(methods.Where(m => !AllMethods.Contains(m)).Order(StringComparer.Ordinal)));
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
