namespace Radar.Core.Measures;

/// <summary>Settings under <c>Radar:Measures</c>.</summary>
public sealed class MeasuresOptions
{
    public const string Section = "Radar:Measures";

    /// <summary>Radar served when a request names none. Empty: the radar of the first measures
    /// source in settings, else the first radar stored.</summary>
    public string DefaultRadar { get; set; } = "";

    /// <summary>A measure is <c>new</c> (created) or <c>moved</c> (status changed) within this many days.</summary>
    public int NewWindowDays { get; set; } = 90;
}
