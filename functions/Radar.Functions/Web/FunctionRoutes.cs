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
/// The functions that answer for requests no other function takes. They are no route of a path
/// of their own: a path only they match is unknown (404), and they never count towards its
/// <c>Allow</c>. Both <c>Zz…</c> names sort after every other function, because the Functions
/// host tries routes in the order of the functions' names (docs/architecture.md, "The HTTP edge").
/// </summary>
public static class Fallbacks
{
    /// <summary><c>api/{*path}</c>, every method: the API's 404 and 405 problems.</summary>
    public const string Api = "ZzApiFallback";

    /// <summary><c>{*path}</c>, every method but <c>GET</c> and <c>HEAD</c>: the pages' German 405
    /// and 404 pages for a method no page takes. Sorts after <see cref="Api"/>, so <c>/api</c>
    /// paths reach the API's fallback first.</summary>
    public const string Page = "ZzPageFallback";

    /// <summary>The German 404 page for <c>GET</c> and <c>HEAD</c> (its regex leaves out every
    /// first segment another function uses, so it does not depend on the order).</summary>
    public const string NotFoundPage = "NotFoundPage";

    public static bool Contains(string name) => name is Api or Page or NotFoundPage;
}

/// <summary>
/// The HTTP routes of the app's functions, read once from the <c>[Function]</c> and
/// <c>[HttpTrigger]</c> attributes — what the Functions SDK writes into <c>functions.metadata</c>
/// and the local runner maps (its <c>FunctionCatalog</c> is built on this). The fallbacks ask it
/// which routes a path belongs to, so their 405 names exactly the methods that path takes.
/// </summary>
public sealed class FunctionRoutes
{
    /// <summary>Methods in the order <c>Allow</c> lists them.</summary>
    public static readonly IReadOnlyList<string> AllMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    private readonly IReadOnlyList<(FunctionRoute Route, TemplateMatcher Matcher, IReadOnlyList<(string Parameter, bool Optional, IRouteConstraint Constraint)> Constraints)> _routes;

    private FunctionRoutes(IReadOnlyList<FunctionRoute> all)
    {
        All = all;
        var resolver = new DefaultInlineConstraintResolver(Options.Create(new RouteOptions()), EmptyServices.Instance);
        _routes = [.. all
            .Where(r => !Fallbacks.Contains(r.Name))
            .Select(r =>
            {
                var template = TemplateParser.Parse(r.Template);
                var constraints = template.Parameters
                    .SelectMany(p => p.InlineConstraints.Select(c => (p.Name!, p.IsOptional || p.IsCatchAll, resolver.ResolveConstraint(c.Constraint)
                        ?? throw new InvalidOperationException($"Function '{r.Name}': unknown route constraint '{c.Constraint}'."))))
                    .ToList();
                return (r, new TemplateMatcher(template, new RouteValueDictionary()), (IReadOnlyList<(string, bool, IRouteConstraint)>)constraints);
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

    /// <summary>The routes whose template matches <paramref name="path"/> (constraints included),
    /// the <see cref="Fallbacks"/> left out.</summary>
    public IReadOnlyList<FunctionRoute> Matching(PathString path)
    {
        var matches = new List<FunctionRoute>();
        foreach (var (route, matcher, constraints) in _routes)
        {
            var values = new RouteValueDictionary();
            if (matcher.TryMatch(path, values) && constraints.All(c => Satisfies(c, values)))
            {
                matches.Add(route);
            }
        }

        return matches;
    }

    /// <summary>As routing checks a constraint: an optional parameter without a value passes
    /// (<c>{home:maxlength(0)?}</c> on <c>/</c>).</summary>
    private static bool Satisfies((string Parameter, bool Optional, IRouteConstraint Constraint) c, RouteValueDictionary values) =>
        (c.Optional && values.GetValueOrDefault(c.Parameter) is null or "")
        || c.Constraint.Match(null, null, c.Parameter, values, RouteDirection.IncomingRequest);

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
