using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Radar.Local.Functions;

/// <summary>Calls a function method the way the worker does: a new instance of its class per
/// invocation, constructor arguments from the container, the result awaited.</summary>
internal static class FunctionInvoker
{
    private static readonly ConcurrentDictionary<Type, ObjectFactory> Factories = new();
    private static readonly ConcurrentDictionary<MethodInfo, MethodInvoker> Invokers = new();
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> Results = new();

    public static async Task<object?> InvokeAsync(MethodInfo method, IServiceProvider services, object?[] arguments)
    {
        var instance = method.IsStatic
            ? null
            : Factories.GetOrAdd(method.DeclaringType!, t => ActivatorUtilities.CreateFactory(t, Type.EmptyTypes))(services, null);
        try
        {
            object? returned;
            try
            {
                returned = Invokers.GetOrAdd(method, MethodInvoker.Create).Invoke(instance, arguments.AsSpan());
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }

            return await UnwrapAsync(returned);
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    private static async Task<object?> UnwrapAsync(object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task;
                // Task<T> carries its value in Result; a plain Task (or VoidTaskResult) has none.
                return Results.GetOrAdd(task.GetType(), type => type.IsGenericType && type.GetProperty("Result") is { } result && result.PropertyType.Name != "VoidTaskResult" ? result : null)
                    ?.GetValue(task);
            case ValueTask valueTask:
                await valueTask;
                return null;
            case not null when returned.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)t.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!;
                return await UnwrapAsync(asTask);
            default:
                return returned;
        }
    }
}
