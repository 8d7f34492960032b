using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Radar.Core.Search.Analysis;

/// <summary>
/// Puts the parts of a compound at the compound's position, with the compound's offsets: a search
/// for a part matches the compound, and the highlighter (which reads offsets from the index instead
/// of analysing again) marks the whole compound.
/// </summary>
internal sealed class CompoundSplitFilter : TokenFilter
{
    private readonly CompoundSplitter _splitter;
    private readonly ICharTermAttribute _term;
    private readonly IPositionIncrementAttribute _position;
    private readonly Queue<string> _pending = new();

    public CompoundSplitFilter(TokenStream input, CompoundSplitter splitter) : base(input)
    {
        _splitter = splitter;
        _term = AddAttribute<ICharTermAttribute>();
        _position = AddAttribute<IPositionIncrementAttribute>();
    }

    public override bool IncrementToken()
    {
        if (_pending.Count > 0)
        {
            // The attributes still hold the compound (offsets, type): only term and position change.
            // Filters after this one change the term only, which is overwritten here.
            _term.SetEmpty().Append(_pending.Dequeue());
            _position.PositionIncrement = 0;
            return true;
        }
        if (!m_input.IncrementToken())
        {
            return false;
        }
        var parts = _splitter.Split(_term.Buffer.AsSpan(0, _term.Length));
        if (parts.Length > 0)
        {
            foreach (var part in parts)
            {
                _pending.Enqueue(part);
            }
        }
        return true;
    }

    public override void Reset()
    {
        base.Reset();
        _pending.Clear();
    }
}
