namespace Radar.Core.Search.Replication;

/// <summary>
/// Told after an ingest's write session published a new commit of the index (a snapshot
/// generation), so a feature above the index can act on what became public with it (the WebSub
/// hub finds the topics it changed). Called in the ingest, after the publish; a failing listener
/// is logged and never fails the ingest.
/// </summary>
public interface IIndexPublishedListener
{
    Task PublishedAsync(IndexPublishReport report, CancellationToken cancellationToken);
}
