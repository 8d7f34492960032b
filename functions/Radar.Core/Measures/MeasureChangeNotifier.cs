using Microsoft.Extensions.Logging;

namespace Radar.Core.Measures;

/// <summary>Tells every <see cref="IMeasureChangeListener"/> what a run wrote; a listener that
/// fails is logged, never fails the write (what it derives can be rebuilt from the tables).</summary>
internal sealed class MeasureChangeNotifier(IEnumerable<IMeasureChangeListener> listeners, ILogger<MeasureChangeNotifier> logger)
{
    public async Task NotifyAsync(MeasureWriteSet written, CancellationToken cancellationToken)
    {
        // A run that touched a radar without changing a measure (its definition, an edition's
        // title) is told too: the read model of that radar follows it (listeners skip what is
        // unchanged).
        if (written.IsEmpty && written.Radars.Count == 0)
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
