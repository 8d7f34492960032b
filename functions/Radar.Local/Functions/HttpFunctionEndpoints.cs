using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;

namespace Radar.Local.Functions;

/// <summary>Keys the runner checks for <c>Function</c> and <c>Admin</c> level routes, as the host
/// checks its function and master keys.</summary>
public sealed record FunctionKeys(string? FunctionKey, string? MasterKey)
{
    public bool Allows(AuthorizationLevel level, string? presented)
    {
        if (level == AuthorizationLevel.Anonymous)
        {
            return true;
        }

        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        return Matches(MasterKey, presented) || (level is AuthorizationLevel.Function && Matches(FunctionKey, presented));
    }

    private static bool Matches(string? expected, string presented) =>
        !string.IsNullOrEmpty(expected) &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));
}

/// <summary>Maps every HTTP function to its route under the host's route prefix.</summary>
internal static class HttpFunctionEndpoints
{
    public static void Map(WebApplication app, FunctionCatalog catalog, string routePrefix, FunctionKeys keys)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Radar.Local.Functions");
        foreach (var function in catalog.Http)
        {
            var pattern = string.IsNullOrEmpty(routePrefix) ? function.Route : $"{routePrefix}/{function.Route}";
            // Read once, not per request: reflection over the method cost the hot routes measurably.
            var parameters = function.Method.GetParameters();
            app.MapMethods("/" + pattern.TrimStart('/'), function.HttpMethods, context => InvokeAsync(function, parameters, keys, context, logger))
               .WithDisplayName(function.Name);
            logger.LogInformation("{Function}: [{Methods}] /{Pattern} ({AuthLevel})",
                function.Name, string.Join(",", function.HttpMethods), pattern.TrimStart('/'), function.AuthLevel);
        }
    }

    private static async Task InvokeAsync(HttpFunction function, System.Reflection.ParameterInfo[] parameters, FunctionKeys keys, HttpContext context, ILogger logger)
    {
        var presented = context.Request.Headers["x-functions-key"].FirstOrDefault() ?? context.Request.Query["code"].FirstOrDefault();
        if (!keys.Allows(function.AuthLevel, presented))
        {
            await Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: "This route needs a function key: send it as the 'x-functions-key' header or the 'code' query parameter.")
                .ExecuteAsync(context);
            return;
        }

        try
        {
            var arguments = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                arguments[i] = Bind(parameters[i], context);
            }

            var result = await FunctionInvoker.InvokeAsync(function.Method, context.RequestServices, arguments);
            switch (result)
            {
                case IResult httpResult:
                    await httpResult.ExecuteAsync(context);
                    break;
                case IActionResult actionResult:
                    await actionResult.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                    break;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Executed '{Function}' (Failed)", function.Name);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Internal server error",
                    detail: "The function failed; the error is in the log.").ExecuteAsync(context);
            }
        }
    }

    private static object? Bind(System.Reflection.ParameterInfo parameter, HttpContext context)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context.Request;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context.RequestAborted;
        }

        var raw = context.GetRouteValue(parameter.Name!)?.ToString();
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        if (raw is null)
        {
            return null;
        }

        return type == typeof(string) ? raw
            : type == typeof(Guid) ? Guid.Parse(raw)
            : Convert.ChangeType(raw, type, CultureInfo.InvariantCulture);
    }
}
