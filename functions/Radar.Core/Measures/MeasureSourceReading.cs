namespace Radar.Core.Measures;

/// <summary>What every reader does after reading: validate, find duplicate ids.</summary>
internal static class MeasureSourceReading
{
    public static MeasureSourceContent Finish(RadarDefinition radar, IReadOnlyList<MeasureDraft> drafts)
    {
        var skipped = new List<SkippedRecord>();
        var measures = new List<Measure>();
        var kept = new HashSet<string>(StringComparer.Ordinal);
        // Two records with one id: neither can be trusted over the other, so both are skipped and
        // the stored measure with that id stays as it is.
        var duplicates = drafts.Where(d => !string.IsNullOrWhiteSpace(d.Id))
            .GroupBy(d => d.Id!.Trim(), StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var draft in drafts)
        {
            var id = draft.Id?.Trim();
            if (id is not null && duplicates.TryGetValue(id, out var all))
            {
                kept.Add(id);
                var others = all.Where(d => d != draft).Select(d => d.Skip("").Where);
                skipped.Add(draft.Skip($"Duplicate id '{id}' (also at {string.Join(", ", others)}); all records with this id are skipped."));
                continue;
            }

            draft.Id = id;
            var measure = MeasureValidator.Validate(draft, radar, out var reason);
            if (measure is null)
            {
                if (id is not null)
                {
                    kept.Add(id);
                }

                skipped.Add(draft.Skip(reason!));
                continue;
            }

            measures.Add(measure);
        }

        return new MeasureSourceContent(radar, measures, skipped, kept);
    }
}
