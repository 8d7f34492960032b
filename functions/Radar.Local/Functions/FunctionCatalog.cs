using System.Reflection;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;
using Radar.Functions.Web;

namespace Radar.Local.Functions;

/// <summary>An HTTP-triggered function as the Functions host sees it: its route (without the
/// host's prefix), methods and authorization level.</summary>
public sealed record HttpFunction(
    string Name, MethodInfo Method, string Route, IReadOnlyList<string> HttpMethods, AuthorizationLevel AuthLevel);

/// <summary>A timer-triggered function: its schedule as written (<c>%Setting%</c> unresolved).</summary>
public sealed record TimerFunction(string Name, MethodInfo Method, string Schedule, bool RunOnStartup);

/// <summary>A queue-triggered function: its queue name as written (<c>%Setting%</c> unresolved)
/// and the connection setting it names (null: <c>AzureWebJobsStorage</c>).</summary>
public sealed record QueueFunction(string Name, MethodInfo Method, string QueueName, string? Connection);

/// <summary>
/// Every function in the given assemblies, found by reflection from the same attributes the
/// Functions SDK reads when it writes <c>functions.metadata</c> (HTTP routes through the app's own
/// <see cref="FunctionRoutes"/>). A new function needs no second registration. Parameters the runner cannot bind fail here, at start-up, with the function's name.
/// </summary>
public sealed class FunctionCatalog
{
    private static readonly HashSet<Type> RouteValueTypes =
        [typeof(string), typeof(int), typeof(long), typeof(Guid), typeof(bool)];

    private FunctionCatalog(IReadOnlyList<HttpFunction> http, IReadOnlyList<TimerFunction> timers, IReadOnlyList<QueueFunction> queues, FunctionRoutes routes)
    {
        Http = http;
        Timers = timers;
        Queues = queues;
        Routes = routes;
    }

    public IReadOnlyList<HttpFunction> Http { get; }

    public IReadOnlyList<TimerFunction> Timers { get; }

    public IReadOnlyList<QueueFunction> Queues { get; }

    /// <summary>The HTTP routes, for the app's API fallback (<see cref="FunctionRoutes"/>).</summary>
    public FunctionRoutes Routes { get; }

    public static FunctionCatalog Discover(IEnumerable<Assembly> assemblies)
    {
        var list = assemblies.Distinct().ToList();
        // HTTP functions as both hosts route them: the same table the API fallback answers 404
        // and 405 from.
        var routes = FunctionRoutes.Of(list);
        var http = new List<HttpFunction>();
        var timers = new List<TimerFunction>();
        var queues = new List<QueueFunction>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var method in list.SelectMany(a => a.GetExportedTypes()).SelectMany(PublicMethods))
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
            {
                continue;
            }

            if (!names.Add(function.Name))
            {
                throw new InvalidOperationException($"Two functions are named '{function.Name}'; function names must be unique.");
            }

            var parameters = method.GetParameters();
            if (routes.All.FirstOrDefault(r => r.Method == method) is { } route)
            {
                var routeParameters = RoutePatternFactory.Parse(route.Template).Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (var parameter in parameters)
                {
                    EnsureBindable(function.Name, parameter, p =>
                        p.ParameterType == typeof(HttpRequest) ||
                        (routeParameters.Contains(p.Name!) && RouteValueTypes.Contains(Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType)));
                }

                http.Add(new HttpFunction(function.Name, method, route.Template, route.Methods, route.Level));
            }
            else if (parameters.Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).OfType<TimerTriggerAttribute>().FirstOrDefault() is { } timerTrigger)
            {
                foreach (var parameter in parameters)
                {
                    EnsureBindable(function.Name, parameter, p => p.ParameterType == typeof(TimerInfo));
                }

                timers.Add(new TimerFunction(function.Name, method, timerTrigger.Schedule, timerTrigger.RunOnStartup));
            }
            else if (parameters.FirstOrDefault(p => p.GetCustomAttribute<QueueTriggerAttribute>() is not null) is { } queueParameter)
            {
                foreach (var parameter in parameters)
                {
                    // The message as text: what the runner hands over (the host can bind more types; Radar's functions take this one).
                    EnsureBindable(function.Name, parameter, p => p == queueParameter && p.ParameterType == typeof(string));
                }

                var queueTrigger = queueParameter.GetCustomAttribute<QueueTriggerAttribute>()!;
                queues.Add(new QueueFunction(function.Name, method, queueTrigger.QueueName, queueTrigger.Connection));
            }
            else
            {
                throw new InvalidOperationException(
                    $"Function '{function.Name}' has a trigger the local runner does not run (it runs HTTP, timer and queue triggers).");
            }
        }

        return new FunctionCatalog(http, timers, queues, routes);
    }

    private static IEnumerable<MethodInfo> PublicMethods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly);

    private static void EnsureBindable(string function, ParameterInfo parameter, Func<ParameterInfo, bool> isTriggerOrRouteValue)
    {
        if (parameter.ParameterType == typeof(CancellationToken) || isTriggerOrRouteValue(parameter))
        {
            return;
        }

        throw new InvalidOperationException(
            $"Function '{function}': parameter '{parameter.Name}' of type {parameter.ParameterType.Name} cannot be bound by the local runner. " +
            "Functions take their trigger (HttpRequest, TimerInfo or a queue message as string), route values by name, and a CancellationToken; " +
            "services come through the constructor.");
    }
}
