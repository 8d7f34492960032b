namespace Radar.Core.WebSub;

/// <summary>Settings of the WebSub hub (<c>Radar__WebSub__…</c>). The hub is on only when
/// <c>Radar__PublicUrl</c> is set: topics are identified by their canonical public URL.</summary>
public sealed class WebSubOptions
{
    public const string Section = "Radar:WebSub";

    /// <summary>The app setting that names the hub's queue, as the queue trigger reads it
    /// (<c>%WebSubQueue%</c>); with a storage prefix, give the prefixed name here.</summary>
    public const string QueueSetting = "WebSubQueue";

    public const string DefaultQueue = "websub";

    public int DefaultLeaseSeconds { get; set; } = 10 * 24 * 3600;

    public int MinLeaseSeconds { get; set; } = 3600;

    public int MaxLeaseSeconds { get; set; } = 30 * 24 * 3600;

    /// <summary>Subscriptions per callback host (counting every topic).</summary>
    public int MaxPerCallbackHost { get; set; } = 50;

    /// <summary>Subscriptions per topic.</summary>
    public int MaxPerTopic { get; set; } = 1000;

    /// <summary>Subscribe and unsubscribe requests per minute from one client address, and for
    /// one callback host; more are answered 429.</summary>
    public int RequestsPerMinute { get; set; } = 30;

    /// <summary>How much of a subscriber's answer is read (the challenge echo is all the hub needs).</summary>
    public int MaxAnswerBytes { get; set; } = 64 * 1024;

    /// <summary>First retry of a failed delivery; it doubles per attempt, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A delivery is retried for this long after its first attempt, then given up
    /// (the subscription stays, shown as failing, until its lease ends).</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a delivery waits for this instance to load the generation it is about.</summary>
    public TimeSpan GenerationWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Entry ids remembered per subscription and per topic, for deduplication.</summary>
    public int RememberedEntries { get; set; } = 200;

    /// <summary>Queue messages sent at once when a topic changed.</summary>
    public int FanOutParallelism { get; set; } = 16;
}
