namespace Radar.Core.Sources;

/// <summary>One source as settings name it (<c>Radar__Sources__0__Url</c>, <c>__Kind</c>, …).</summary>
public sealed class SourceSetting
{
    /// <summary>Stable id; derived from the URL when empty.</summary>
    public string? Id { get; set; }

    /// <summary><c>https://…</c>, <c>http://…</c> or <c>file:relative/or/absolute/path</c>.</summary>
    public string? Url { get; set; }

    /// <summary><c>measures-json</c>, <c>measures-csv</c> or <c>news</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>Radar id the source feeds. Required for CSV; for JSON it must match the file's
    /// <c>radar.id</c> when given.</summary>
    public string? Radar { get; set; }

    /// <summary>For CSV sources: where the radar definition (areas, statuses) is, a document in
    /// the JSON import format whose <c>measures</c> may be empty.</summary>
    public string? Definition { get; set; }

    /// <summary>A name people read (health, reports); defaults to the id.</summary>
    public string? Name { get; set; }

    /// <summary>CSV sources: the edition the file is (a slug such as <c>2024</c>); with
    /// <see cref="EditionPublished"/>. JSON documents name their edition themselves.</summary>
    public string? Edition { get; set; }

    public string? EditionTitle { get; set; }

    /// <summary>The edition's publication date, <c>YYYY-MM-DD</c> (the end of that day in Berlin).</summary>
    public string? EditionPublished { get; set; }

    /// <summary>Measure sources: past editions to import into the source's radar if not stored
    /// yet (<c>__Editions__0</c>, <c>__Editions__1</c>, …: <c>https://…</c> or <c>file:…</c>,
    /// each a document in the JSON import format with <c>radar.edition</c>).</summary>
    public List<string> Editions { get; set; } = [];

    /// <summary>Measure sources: this source shares its radar with other sources that say so too
    /// (their definitions must agree). Without it a radar belongs to the one source that first
    /// brought it, and a second source naming it is refused.</summary>
    public bool SharesRadar { get; set; }
}

/// <summary>How sources are fetched (<c>Radar__Fetch__…</c>).</summary>
public sealed class FetchOptions
{
    public const string Section = "Radar:Fetch";

    /// <summary>The whole answer (connect, headers, every byte of the body) must arrive within this.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest body accepted, after decompression.</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    public int MaxRedirects { get; set; } = 5;

    /// <summary>Retries within one fetch for transient failures (network errors, 408, 429, 5xx).</summary>
    public int Retries { get; set; } = 2;

    /// <summary>First retry delay; it doubles per retry, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A <c>Retry-After</c> up to this long is waited for within the fetch; a longer one
    /// ends the fetch and defers the source until then.</summary>
    public TimeSpan MaxRetryAfterWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Back-off after the first failure of a source; doubles with every further failure.</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest back-off: a failing source is still tried at least this often, forever.</summary>
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Let sources added through the API reach every address the <see cref="AddressGuard"/>
    /// refuses (local runs and tests).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Networks (CIDR or addresses, comma separated) that API-added sources may reach
    /// although the <see cref="AddressGuard"/> refuses them (a city intranet, say).</summary>
    public string AllowedNetworks { get; set; } = "";

    /// <summary>Requests in flight to one host at once, so many sources on one server are spread out.</summary>
    public int MaxConcurrentPerHost { get; set; } = 2;
}
