using Microsoft.Extensions.Logging;

namespace Radar.Core.Measures;

/// <summary>Tells every <see cref="IMeasureChangeListener"/> what a run wrote; a listener that
/// fails is logged, never fails the write (what it derives can be rebuilt from the tables).</summary>
internal sealed class MeasureChangeNotifier(IEnumerable<IMeasureChangeListener> listeners, ILogger<MeasureChangeNotifier> logger)
{
    public async Task NotifyAsync(MeasureWriteSet written, CancellationToken cancellationToken)
    {
        if (written.IsEmpty)
        {
            return;
        }

        foreach (var listener in listeners)
        {
            try
            {
                await listener.MeasuresChangedAsync(written, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Measures change listener {Listener} failed", listener.GetType().Name);
            }
        }
    }
}
