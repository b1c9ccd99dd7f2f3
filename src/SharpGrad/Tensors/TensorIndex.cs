namespace SharpGrad;

/// <summary>
/// One entry of a tensor index, <c>x[1..3, 0]</c>: what Python writes inside <c>x[...]</c>.
/// An integer or <see cref="System.Index"/> (<c>^1</c>) selects and removes a dim; a
/// <see cref="System.Range"/> (<c>1..3</c>, <c>..</c>) or <see cref="Slice"/> keeps it;
/// <see cref="Ellipsis"/> stands for all the dims not indexed; <see cref="None"/> inserts a size-1 dim.
/// </summary>
public readonly struct TensorIndex
{
    internal enum IndexKind { Integer, FromEnd, Range, Slice, Ellipsis, None }

    private TensorIndex(IndexKind kind, int integer = 0, Range range = default, int? start = null, int? stop = null, int step = 1)
    {
        Kind = kind;
        Integer = integer;
        RangeValue = range;
        Start = start;
        Stop = stop;
        Step = step;
    }

    internal IndexKind Kind { get; }

    /// <summary>The integer index (Python semantics: negative counts from the end), or the k of <c>^k</c>.</summary>
    internal int Integer { get; }

    internal Range RangeValue { get; }

    internal int? Start { get; }

    internal int? Stop { get; }

    internal int Step { get; }

    /// <summary>Python's <c>...</c>: as many full slices as the dims not otherwise indexed.</summary>
    public static TensorIndex Ellipsis { get; } = new(IndexKind.Ellipsis);

    /// <summary>Python's <c>None</c> in an index: inserts a size-1 dim (<c>numpy.newaxis</c>).</summary>
    public static TensorIndex None { get; } = new(IndexKind.None);

    /// <summary>Same as <see cref="None"/>.</summary>
    public static TensorIndex NewAxis => None;

    /// <summary>
    /// Python's slice <c>start:stop:step</c>; null bounds mean the ends, negative bounds count from the
    /// end, and <paramref name="step"/> must be positive (as in PyTorch).
    /// </summary>
    public static TensorIndex Slice(int? start = null, int? stop = null, int step = 1) =>
        new(IndexKind.Slice, start: start, stop: stop, step: step);

    /// <summary>An integer index; negative counts from the end, as in Python.</summary>
    public static implicit operator TensorIndex(int index) => new(IndexKind.Integer, index);

    /// <summary>An index from the start, or from the end (<c>^1</c> is the last element).</summary>
    public static implicit operator TensorIndex(Index index) =>
        index.IsFromEnd ? new(IndexKind.FromEnd, index.Value) : new(IndexKind.Integer, index.Value);

    /// <summary>A range of positions kept as a dim: <c>1..3</c>, <c>..^1</c>, <c>..</c>.</summary>
    public static implicit operator TensorIndex(Range range) => new(IndexKind.Range, range: range);

    internal bool IsSelect => Kind is IndexKind.Integer or IndexKind.FromEnd;

    internal bool IsSliceLike => Kind is IndexKind.Range or IndexKind.Slice;

    /// <summary>The Python integer this select index means for a dim of <paramref name="size"/>.</summary>
    internal int PythonInteger(int size) => Kind == IndexKind.FromEnd ? (Integer == 0 ? size : -Integer) : Integer;

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        IndexKind.Integer => Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        IndexKind.FromEnd => "^" + Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        IndexKind.Range => RangeValue.ToString(),
        IndexKind.Slice => $"{Start}:{Stop}:{Step}",
        IndexKind.Ellipsis => "...",
        _ => "None",
    };
}
