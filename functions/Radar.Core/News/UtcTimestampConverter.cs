using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Radar.Core.News;

/// <summary>Writes instants as UTC with a <c>Z</c> (<c>2020-07-23T10:00:00Z</c>), the shape the
/// API documents, instead of <c>+00:00</c>.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
