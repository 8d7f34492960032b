namespace Radar.Pages.Picture;

/// <summary>A sector of the picture: an area, or a field of action with <c>group=field</c>.</summary>
public sealed record RadarSector(string Id, string Label);

/// <summary>A ring: a status, innermost (most advanced) first.</summary>
public sealed record RadarRing(string Id, string Label, string? Description);

/// <summary>What the picture shows of one measure. <see cref="Number"/> is the number printed in
/// the blip and in the table beside it.</summary>
public sealed record RadarItem(
    string Id, string Title, string SectorId, string RingId, int Number, bool New, bool Moved, string Url);

/// <summary>Where a blip goes: its centre.</summary>
public sealed record PlacedItem(RadarItem Item, double X, double Y, int Ring);

/// <summary>The geometry of a drawn radar.</summary>
public sealed record RadarGeometry(
    double CenterX,
    double CenterY,
    double Radius,
    double InnerRadius,
    IReadOnlyList<double> RingOuterRadii,
    double BlipRadius,
    double BandHalfWidth,
    IReadOnlyList<(double Start, double End)> SectorAngles,
    IReadOnlyList<PlacedItem> Items);

/// <summary>
/// Places blips deterministically and without overlaps: every sector × ring cell is filled with
/// candidate points on arcs (one blip diameter plus a gap apart, along and across the arcs, kept
/// away from the cell's borders by a margin), and a cell's measures take evenly spread candidates
/// in their number order. Points of different cells are at least two margins apart, points of
/// one cell at least one pitch, so no two blips can touch. When a cell has too few candidates the
/// rings are re-proportioned towards the crowded one, and as a last resort the blips get smaller.
/// The same input always gives the same picture: nothing random, no dictionary order.
/// </summary>
public static class RadarLayout
{
    /// <summary>Angles are measured clockwise from 12 o'clock, in radians.</summary>
    public const double Top = -Math.PI / 2;

    private const double Gap = 3;
    private const double MinBlipRadius = 3;

    public static RadarGeometry Place(
        IReadOnlyList<RadarSector> sectors,
        IReadOnlyList<RadarRing> rings,
        IReadOnlyList<RadarItem> items,
        double centerX,
        double centerY,
        double radius,
        double blipRadius = 13,
        double bandHalfWidth = 10,
        IReadOnlyList<double>? ringLabelWidths = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sectors.Count);
        ArgumentOutOfRangeException.ThrowIfZero(rings.Count);
        var sectorIndex = sectors.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var ringIndex = rings.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var cells = new List<RadarItem>[sectors.Count, rings.Count];
        for (var s = 0; s < sectors.Count; s++)
        {
            for (var r = 0; r < rings.Count; r++)
            {
                cells[s, r] = [];
            }
        }

        foreach (var item in items.OrderBy(i => i.Number).ThenBy(i => i.Id, StringComparer.Ordinal))
        {
            if (sectorIndex.TryGetValue(item.SectorId, out var s) && ringIndex.TryGetValue(item.RingId, out var r))
            {
                cells[s, r].Add(item);
            }
        }

        var perSector = Enumerable.Range(0, sectors.Count).Select(s => Enumerable.Range(0, rings.Count).Sum(r => cells[s, r].Count)).ToArray();
        var angles = SectorAngles(perSector);
        // Near the centre many sectors leave no room for a blip: start the rings where each sector
        // is at least a few blips wide.
        var innerRadius = Math.Min(radius * 0.3, Math.Max(Math.Max(24, radius * 0.08), sectors.Count * 2.5 * ((2 * blipRadius) + Gap) / (2 * Math.PI)));
        var weights = Enumerable.Range(0, rings.Count)
            .Select(r => 1.0 + Enumerable.Range(0, sectors.Count).Max(s => cells[s, r].Count))
            .ToArray();
        var blip = blipRadius;
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var outer = RingRadii(weights, innerRadius, radius, blip, ringLabelWidths);
            var placed = new List<PlacedItem>();
            var short_ = new bool[rings.Count];
            for (var s = 0; s < sectors.Count; s++)
            {
                for (var r = 0; r < rings.Count; r++)
                {
                    var wanted = cells[s, r];
                    if (wanted.Count == 0)
                    {
                        continue;
                    }

                    var inner = r == 0 ? innerRadius : outer[r - 1];
                    var candidates = Candidates(centerX, centerY, inner, outer[r], angles[s], blip, bandHalfWidth);
                    if (candidates.Count < wanted.Count)
                    {
                        short_[r] = true;
                        continue;
                    }

                    for (var i = 0; i < wanted.Count; i++)
                    {
                        // Evenly spread over the cell's candidates, which are ordered inside out.
                        var index = wanted.Count == 1
                            ? candidates.Count / 2
                            : (int)Math.Round(i * (candidates.Count - 1) / (double)(wanted.Count - 1));
                        var (x, y) = candidates[index];
                        placed.Add(new PlacedItem(wanted[i], x, y, r));
                    }
                }
            }

            if (!short_.Any(x => x))
            {
                return new RadarGeometry(centerX, centerY, radius, innerRadius, outer, blip, bandHalfWidth, angles, placed);
            }

            for (var r = 0; r < rings.Count; r++)
            {
                if (short_[r])
                {
                    weights[r] *= 1.15;
                }
            }

            if (attempt % 20 == 19)
            {
                blip = Math.Max(MinBlipRadius, blip * 0.9);
            }
        }

        throw new InvalidOperationException($"{items.Count} measures do not fit on a radar of radius {radius}.");
    }

    /// <summary>Sectors share the circle clockwise from the top, each in proportion to its
    /// measures plus the mean: equal when the counts are alike (three core areas), wider for a
    /// crowded field of action than for one with a single measure.</summary>
    private static List<(double Start, double End)> SectorAngles(int[] counts)
    {
        var mean = counts.Length == 0 ? 0 : counts.Average();
        var weights = counts.Select(c => c + mean + 1).ToArray();
        var total = weights.Sum();
        var angles = new List<(double, double)>();
        var at = Top;
        foreach (var weight in weights)
        {
            var end = at + (2 * Math.PI * weight / total);
            angles.Add((at, end));
            at = end;
        }

        return angles;
    }

    /// <summary>Outer radius of each ring: none narrower than a row of blips or (where there is
    /// room) its name, the rest shared in proportion to the weights.</summary>
    private static double[] RingRadii(double[] weights, double inner, double outer, double blip, IReadOnlyList<double>? labelWidths)
    {
        var span = outer - inner;
        var even = span / weights.Length;
        var minimums = weights
            .Select((_, r) => Math.Min(even, Math.Max(2 * (blip + Gap) + 4, Math.Min(0.7 * even, (labelWidths?.ElementAtOrDefault(r) ?? 0) + 8))))
            .ToArray();
        var free = Math.Max(0, span - minimums.Sum());
        var total = weights.Sum();
        var radii = new double[weights.Length];
        var at = inner;
        for (var r = 0; r < weights.Length; r++)
        {
            at += minimums[r] + (free * weights[r] / total);
            radii[r] = at;
        }

        radii[^1] = outer;
        return radii;
    }

    /// <summary>Candidate centres in one cell, inside out and clockwise. A point keeps
    /// <c>blip + gap</c> from the ring borders, from the sector's edge rays and from the label band
    /// at 12 o'clock, so points of neighbouring cells never come closer than a blip diameter.</summary>
    internal static List<(double X, double Y)> Candidates(
        double cx, double cy, double inner, double outer, (double Start, double End) sector, double blip, double bandHalfWidth)
    {
        var margin = blip + Gap;
        var pitch = 2 * blip + Gap;
        var points = new List<(double, double)>();
        var rows = (int)Math.Floor((outer - inner - (2 * margin)) / pitch) + 1;
        if (outer - inner < 2 * margin)
        {
            return points;
        }

        // Rows spread over the ring's width, at least a pitch apart.
        var rowStep = rows > 1 ? (outer - inner - (2 * margin)) / (rows - 1) : 0;
        for (var row = 0; row < rows; row++)
        {
            var r = rows > 1 ? inner + margin + (row * rowStep) : (inner + outer) / 2;
            if (r <= margin)
            {
                continue;
            }

            // Distance from a point at radius r to an edge ray at angle difference d is r·sin(d).
            var edge = Math.Asin(Math.Min(1, margin / r));
            var start = sector.Start + edge;
            var end = sector.End - edge;
            if (end < start)
            {
                continue;
            }

            // Neighbours on the arc: chord 2r·sin(Δ/2) at least a pitch.
            var minStep = 2 * Math.Asin(Math.Min(1, pitch / (2 * r)));
            var count = (int)Math.Floor((end - start) / minStep) + 1;
            var step = count > 1 ? (end - start) / (count - 1) : 0;
            for (var i = 0; i < count; i++)
            {
                var angle = count > 1 ? start + (i * step) : (start + end) / 2;
                var x = cx + (r * Math.Cos(angle));
                var y = cy + (r * Math.Sin(angle));
                if (y < cy && Math.Abs(x - cx) < bandHalfWidth + margin)
                {
                    continue; // the band where the ring names are written
                }

                points.Add((x, y));
            }
        }

        return points;
    }
}
