using System.Globalization;
using Microsoft.Data.Sqlite;
using Radar.Core.Search;

namespace Radar.Benchmarks;

/// <summary>
/// The baseline a user would otherwise pick: SQLite FTS5 (unicode61, diacritics removed), bm25
/// with the same field weights, snippet() for the highlight, and the facet columns in a side table
/// counted from one query over all matches.
/// </summary>
public sealed class Fts5Index : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _top;
    private readonly SqliteCommand _facets;
    private readonly SqliteParameter _topMatch, _topArea, _topStatus, _topType, _topFrom, _topTo;
    private readonly SqliteParameter _facetMatch, _facetArea, _facetStatus, _facetType, _facetFrom, _facetTo;

    private Fts5Index(SqliteConnection connection)
    {
        _connection = connection;
        const string Where = """
            docs MATCH $match
              AND ($area IS NULL OR m.area = $area) AND ($status IS NULL OR m.status = $status)
              AND ($type IS NULL OR m.type = $type) AND ($from IS NULL OR m.date >= $from) AND ($to IS NULL OR m.date < $to)
            """;
        _top = connection.CreateCommand();
        _top.CommandText = $"""
            SELECT m.id, m.type, docs.title, m.area, m.status, m.departments, m.date,
                   snippet(docs, -1, '<mark>', '</mark>', '…', 24), bm25(docs, 4.0, 3.0, 2.0, 1.0) AS score
            FROM docs JOIN meta m ON m.rowid = docs.rowid
            WHERE {Where}
            ORDER BY score LIMIT 20
            """;
        (_topMatch, _topArea, _topStatus, _topType, _topFrom, _topTo) = Parameters(_top);
        _facets = connection.CreateCommand();
        _facets.CommandText = $"""
            SELECT m.type, m.area, m.status, m.departments, m.year
            FROM docs JOIN meta m ON m.rowid = docs.rowid
            WHERE {Where}
            """;
        (_facetMatch, _facetArea, _facetStatus, _facetType, _facetFrom, _facetTo) = Parameters(_facets);
    }

    public static bool Exists(string path) => File.Exists(path) && File.Exists(path + ".done");

    public static Fts5Index Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Cache=Private");
        connection.Open();
        Pragma(connection, "PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -262144;");
        return new Fts5Index(connection);
    }

    public static void Build(string path, IEnumerable<SearchDocument> documents)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        Pragma(connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;");
        Pragma(connection, """
            CREATE VIRTUAL TABLE docs USING fts5(title, tags, summary, body, tokenize = 'unicode61 remove_diacritics 2');
            CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT, type TEXT, area TEXT, status TEXT, departments TEXT, date INTEGER, year INTEGER);
            """);
        using var transaction = connection.BeginTransaction();
        using var insertDoc = connection.CreateCommand();
        insertDoc.CommandText = "INSERT INTO docs(rowid, title, tags, summary, body) VALUES ($rowid, $title, $tags, $summary, $body)";
        using var insertMeta = connection.CreateCommand();
        insertMeta.CommandText = "INSERT INTO meta VALUES ($rowid, $id, $type, $area, $status, $departments, $date, $year)";
        var rowid = 0L;
        foreach (var document in documents)
        {
            rowid++;
            insertDoc.Parameters.Clear();
            insertDoc.Parameters.AddWithValue("$rowid", rowid);
            insertDoc.Parameters.AddWithValue("$title", document.Title);
            insertDoc.Parameters.AddWithValue("$tags", string.Join(' ', document.Tags));
            insertDoc.Parameters.AddWithValue("$summary", document.Summary ?? string.Empty);
            insertDoc.Parameters.AddWithValue("$body", document.Body ?? string.Empty);
            insertDoc.ExecuteNonQuery();
            insertMeta.Parameters.Clear();
            insertMeta.Parameters.AddWithValue("$rowid", rowid);
            insertMeta.Parameters.AddWithValue("$id", document.Id);
            insertMeta.Parameters.AddWithValue("$type", document.Type);
            insertMeta.Parameters.AddWithValue("$area", (object?)document.Area ?? DBNull.Value);
            insertMeta.Parameters.AddWithValue("$status", (object?)document.Status ?? DBNull.Value);
            insertMeta.Parameters.AddWithValue("$departments", string.Join('|', document.Departments));
            insertMeta.Parameters.AddWithValue("$date", document.Date?.ToUnixTimeMilliseconds() ?? 0);
            insertMeta.Parameters.AddWithValue("$year", document.Date?.Year ?? 0);
            insertMeta.ExecuteNonQuery();
        }
        transaction.Commit();
        Pragma(connection, "INSERT INTO docs(docs) VALUES ('optimize');");
        File.WriteAllText(path + ".done", rowid.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Top 20 with snippets, total and the five facet counts: what Radar's search answers.</summary>
    public (int Total, int Hits, int Facets) Search(BenchQuery query)
    {
        Bind(query, _topMatch, _topArea, _topStatus, _topType, _topFrom, _topTo);
        var hits = 0;
        using (var reader = _top.ExecuteReader())
        {
            while (reader.Read())
            {
                _ = reader.GetString(0);
                _ = reader.GetString(2);
                _ = reader.GetString(7);
                hits++;
            }
        }
        Bind(query, _facetMatch, _facetArea, _facetStatus, _facetType, _facetFrom, _facetTo);
        var counts = new Dictionary<string, int>[5];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = new Dictionary<string, int>(StringComparer.Ordinal);
        }
        var total = 0;
        using (var reader = _facets.ExecuteReader())
        {
            while (reader.Read())
            {
                total++;
                Count(counts[0], reader.GetString(0));
                Count(counts[1], reader.IsDBNull(1) ? null : reader.GetString(1));
                Count(counts[2], reader.IsDBNull(2) ? null : reader.GetString(2));
                foreach (var department in reader.GetString(3).Split('|', StringSplitOptions.RemoveEmptyEntries))
                {
                    Count(counts[3], department);
                }
                Count(counts[4], reader.GetInt64(4).ToString(CultureInfo.InvariantCulture));
            }
        }
        return (total, hits, counts.Sum(c => c.Count));
    }

    public void Dispose()
    {
        _top.Dispose();
        _facets.Dispose();
        _connection.Dispose();
    }

    private static void Count(Dictionary<string, int> counts, string? value)
    {
        if (value is not null)
        {
            counts[value] = counts.GetValueOrDefault(value) + 1;
        }
    }

    private static void Bind(BenchQuery query, SqliteParameter match, SqliteParameter area, SqliteParameter status,
        SqliteParameter type, SqliteParameter from, SqliteParameter to)
    {
        match.Value = query.Fts;
        area.Value = (object?)query.Area ?? DBNull.Value;
        status.Value = (object?)query.Status ?? DBNull.Value;
        type.Value = (object?)query.Type ?? DBNull.Value;
        from.Value = (object?)query.From?.ToUnixTimeMilliseconds() ?? DBNull.Value;
        to.Value = (object?)query.To?.ToUnixTimeMilliseconds() ?? DBNull.Value;
    }

    private static (SqliteParameter, SqliteParameter, SqliteParameter, SqliteParameter, SqliteParameter, SqliteParameter) Parameters(SqliteCommand command) =>
        (command.Parameters.Add("$match", SqliteType.Text), command.Parameters.Add("$area", SqliteType.Text),
         command.Parameters.Add("$status", SqliteType.Text), command.Parameters.Add("$type", SqliteType.Text),
         command.Parameters.Add("$from", SqliteType.Integer), command.Parameters.Add("$to", SqliteType.Integer));

    private static void Pragma(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
