using System.Net;
using Azure;
using Azure.Data.Tables;

namespace Radar.Core.Storage;

/// <summary>One operation of a batched write, with the owner it is done for (a news item's key),
/// so that a refusal can be pinned on what caused it.</summary>
public sealed record TableWrite(TableTransactionAction Action, string Owner)
{
    public string PartitionKey => Action.Entity.PartitionKey;

    public string RowKey => Action.Entity.RowKey;
}

/// <summary>Why storage would not take one operation of a batch: <see cref="Conflict"/> (an
/// <c>Add</c> found the entity there already) or <see cref="Refused"/> (400/413: too large, a value
/// storage does not take).</summary>
public enum TableWriteFailure
{
    Conflict,
    Refused,
}

public sealed record TableWriteRejection(TableWrite Write, TableWriteFailure Failure, string Code);

/// <summary>What a batched write did: transactions committed, entities written, operations not taken.</summary>
public sealed record TableBatchResult(int Transactions, int Entities, IReadOnlyList<TableWriteRejection> Rejected)
{
    public static TableBatchResult Empty { get; } = new(0, 0, []);
}

/// <summary>
/// Writes many entities as entity group transactions: grouped by partition, at most
/// <see cref="MaxOperations"/> operations and about <see cref="MaxPayloadBytes"/> a transaction,
/// several transactions in flight. A transaction is all or nothing; when storage names the
/// operation that failed — an <c>Add</c> that conflicts, an entity it refuses, a <c>Delete</c> of
/// an entity that is not there (which counts as done) — that one is taken out and the rest sent
/// again, so one bad entity costs one more round trip, not the batch. Anything else (storage out of
/// reach after the client's retries) is thrown: the caller's run stops there, and whatever was
/// committed is whole transactions.
/// </summary>
public static class TableBatches
{
    public const int MaxOperations = 100;

    /// <summary>Azure takes 4 MiB a transaction; entity sizes are estimated on the safe side
    /// (<see cref="EstimateBytes"/>), so this leaves room for the multipart envelope.</summary>
    public const long MaxPayloadBytes = 3_500_000;

    /// <param name="committed">Called after every committed transaction with the number of
    /// entities it wrote (for reports, logs and tests that stop storage at a known point).</param>
    public static async Task<TableBatchResult> SubmitAsync(
        TableClient table,
        IReadOnlyList<TableWrite> writes,
        int parallel,
        Func<int, CancellationToken, ValueTask>? committed,
        CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return TableBatchResult.Empty;
        }

        var chunks = Chunk(writes);
        var transactions = 0;
        var entities = 0;
        var rejected = new List<TableWriteRejection>();
        var gate = new object();
        await Parallel.ForEachAsync(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                var (done, written, failed) = await SubmitChunkAsync(table, chunk, committed, ct);
                lock (gate)
                {
                    transactions += done;
                    entities += written;
                    rejected.AddRange(failed);
                }
            });
        return new TableBatchResult(transactions, entities, rejected);
    }

    /// <summary>What an entity may take on the wire: every character of a string as an escaped
    /// <c>\uXXXX</c> unless it is plain ASCII, plus names and a little per property.</summary>
    public static long EstimateBytes(ITableEntity entity)
    {
        long size = 200 + Escaped(entity.PartitionKey) + Escaped(entity.RowKey);
        if (entity is TableEntity properties)
        {
            foreach (var (name, value) in properties)
            {
                size += name.Length + 40 + value switch
                {
                    string text => Escaped(text),
                    byte[] bytes => bytes.Length * 2L,
                    _ => 40,
                };
            }
        }

        return size;
    }

    private static long Escaped(string? text)
    {
        if (text is null)
        {
            return 0;
        }

        long size = 0;
        foreach (var c in text)
        {
            size += c is >= ' ' and < (char)127 and not ('<' or '>' or '&' or '\'' or '"' or '\\' or '+' or '`') ? 1 : 6;
        }

        return size;
    }

    // Partitions in order of first appearance; within one, a later write of the same entity
    // replaces an earlier one (a transaction may not touch an entity twice).
    private static List<List<TableWrite>> Chunk(IReadOnlyList<TableWrite> writes)
    {
        var byPartition = new Dictionary<string, List<TableWrite>>(StringComparer.Ordinal);
        var order = new List<string>();
        var position = new Dictionary<(string, string), (List<TableWrite> List, int Index)>();
        foreach (var write in writes)
        {
            if (!byPartition.TryGetValue(write.PartitionKey, out var list))
            {
                byPartition[write.PartitionKey] = list = [];
                order.Add(write.PartitionKey);
            }

            if (position.TryGetValue((write.PartitionKey, write.RowKey), out var at))
            {
                at.List[at.Index] = write;
            }
            else
            {
                position[(write.PartitionKey, write.RowKey)] = (list, list.Count);
                list.Add(write);
            }
        }

        var chunks = new List<List<TableWrite>>();
        foreach (var partition in order)
        {
            var current = new List<TableWrite>();
            long bytes = 0;
            foreach (var write in byPartition[partition])
            {
                var size = EstimateBytes(write.Action.Entity);
                if (current.Count > 0 && (current.Count == MaxOperations || bytes + size > MaxPayloadBytes))
                {
                    chunks.Add(current);
                    current = [];
                    bytes = 0;
                }

                current.Add(write);
                bytes += size;
            }

            if (current.Count > 0)
            {
                chunks.Add(current);
            }
        }

        return chunks;
    }

    private static async Task<(int Transactions, int Entities, List<TableWriteRejection> Rejected)> SubmitChunkAsync(
        TableClient table, List<TableWrite> chunk, Func<int, CancellationToken, ValueTask>? committed, CancellationToken cancellationToken)
    {
        var rejected = new List<TableWriteRejection>();
        var pending = new List<TableWrite>(chunk);
        while (pending.Count > 0)
        {
            try
            {
                await table.SubmitTransactionAsync(pending.Select(w => w.Action), cancellationToken);
                if (committed is not null)
                {
                    await committed(pending.Count, cancellationToken);
                }

                return (1, pending.Count, rejected);
            }
            catch (TableTransactionFailedException ex) when (ex.FailedTransactionActionIndex is { } index && index >= 0 && index < pending.Count
                && Classify(pending[index], ex) is var failure && failure.Known)
            {
                if (failure.Rejection is { } rejection)
                {
                    rejected.Add(rejection);
                }

                pending.RemoveAt(index);
            }
            catch (TableTransactionFailedException ex) when (pending.Count > 1 && ex.Status is 400 or 404 or 409 or 413)
            {
                // Storage did not say which operation failed: find it one at a time.
                var (transactions, entities, failed) = await SubmitOneByOneAsync(table, pending, committed, cancellationToken);
                rejected.AddRange(failed);
                return (transactions, entities, rejected);
            }
        }

        return (0, 0, rejected);
    }

    private static async Task<(int, int, List<TableWriteRejection>)> SubmitOneByOneAsync(
        TableClient table, List<TableWrite> writes, Func<int, CancellationToken, ValueTask>? committed, CancellationToken cancellationToken)
    {
        var rejected = new List<TableWriteRejection>();
        var transactions = 0;
        foreach (var write in writes)
        {
            try
            {
                await table.SubmitTransactionAsync([write.Action], cancellationToken);
                transactions++;
                if (committed is not null)
                {
                    await committed(1, cancellationToken);
                }
            }
            catch (RequestFailedException ex) when (Classify(write, ex) is { Known: true } failure)
            {
                if (failure.Rejection is { } rejection)
                {
                    rejected.Add(rejection);
                }
            }
        }

        return (transactions, transactions, rejected);
    }

    private static (bool Known, TableWriteRejection? Rejection) Classify(TableWrite write, RequestFailedException ex) => ex.Status switch
    {
        (int)HttpStatusCode.NotFound when write.Action.ActionType == TableTransactionActionType.Delete && ex.ErrorCode != "TableNotFound" => (true, null),
        (int)HttpStatusCode.Conflict when write.Action.ActionType == TableTransactionActionType.Add =>
            (true, new TableWriteRejection(write, TableWriteFailure.Conflict, ex.ErrorCode ?? "EntityAlreadyExists")),
        (int)HttpStatusCode.BadRequest or (int)HttpStatusCode.RequestEntityTooLarge =>
            (true, new TableWriteRejection(write, TableWriteFailure.Refused, ex.ErrorCode ?? ex.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        _ => (false, null),
    };
}
