namespace SharpGrad.Kernels;

/// <summary>
/// Note [Strided loop]: the one elementwise driver. Operand layouts (sizes shared, strides per
/// operand, 0 where broadcast) are first coalesced: adjacent dimensions that every operand walks
/// as one are merged, so contiguous and broadcast-contiguous tensors become a single run. The loop
/// then hands whole innermost runs to span kernels (unit stride, or a broadcast scalar), falling
/// back to a strided scalar loop only when an operand's innermost stride is neither 0 nor 1. There
/// is no per-element index arithmetic. The coalesced layout lives in caller-provided (usually
/// stack) memory: building a loop allocates nothing. The drivers in Elementwise take the common
/// layouts (same-shape dense operands, a one-element operand) before building a loop at all.
/// </summary>
internal ref struct StridedLoop
{
    /// <summary>Ranks up to this size fit the stack buffer the drivers reserve.</summary>
    public const int StackRank = 16;

    private readonly Span<int> _sizes;   // coalesced sizes, outermost first, _rank entries
    private readonly Span<int> _strides; // coalesced strides, _ops per dimension
    private readonly int _rank, _ops;

    /// <summary>Innermost run length.</summary>
    public readonly int Inner;

    /// <summary>Number of innermost runs.</summary>
    public readonly int Outer;

    /// <summary>The buffer length (ints) a loop over <paramref name="rank"/> output dims and <paramref name="ops"/> operands needs.</summary>
    public static int BufferLength(int rank, int ops) => Math.Max(rank, 1) * (ops + 1);

    /// <summary>A loop over one input (broadcast to the output) and the output.</summary>
    public StridedLoop(Span<int> buffer, Tensor x, Tensor output) : this(buffer, 2, output.Sizes.Length)
    {
        var outSizes = output.Sizes;
        Span<int> dim = stackalloc int[2];
        for (int d = 0; d < outSizes.Length; d++)
        {
            if (outSizes[d] == 1) continue;
            dim[0] = BroadcastStride(x.Sizes, x.Strides, outSizes.Length, d, outSizes[d]);
            dim[1] = output.Strides[d];
            AddDim(outSizes[d], dim, ref _rank);
        }
        (Inner, Outer) = Finish(ref _rank);
    }

    /// <summary>A loop over two inputs (broadcast to the output) and the output.</summary>
    public StridedLoop(Span<int> buffer, Tensor a, Tensor b, Tensor output) : this(buffer, 3, output.Sizes.Length)
    {
        var outSizes = output.Sizes;
        Span<int> dim = stackalloc int[3];
        for (int d = 0; d < outSizes.Length; d++)
        {
            if (outSizes[d] == 1) continue;
            dim[0] = BroadcastStride(a.Sizes, a.Strides, outSizes.Length, d, outSizes[d]);
            dim[1] = BroadcastStride(b.Sizes, b.Strides, outSizes.Length, d, outSizes[d]);
            dim[2] = output.Strides[d];
            AddDim(outSizes[d], dim, ref _rank);
        }
        (Inner, Outer) = Finish(ref _rank);
    }

    /// <summary>
    /// A loop over any number of operands whose strides are already broadcast to <paramref name="sizes"/>
    /// (0 where broadcast). Allocates its buffer; the drivers in Elementwise use the constructors above.
    /// </summary>
    public StridedLoop(ReadOnlySpan<int> sizes, params int[][] strides)
        : this(new int[BufferLength(sizes.Length, strides.Length)], strides.Length, sizes.Length)
    {
        Span<int> dim = strides.Length <= 8 ? stackalloc int[strides.Length] : new int[strides.Length];
        for (int d = 0; d < sizes.Length; d++)
        {
            if (sizes[d] == 1) continue;
            for (int k = 0; k < strides.Length; k++) dim[k] = strides[k][d];
            AddDim(sizes[d], dim, ref _rank);
        }
        (Inner, Outer) = Finish(ref _rank);
    }

    private StridedLoop(Span<int> buffer, int ops, int outRank)
    {
        int rank = Math.Max(outRank, 1);
        _ops = ops;
        _sizes = buffer[..rank];
        _strides = buffer.Slice(rank, rank * ops);
        _rank = 0;
    }

    /// <summary>Innermost stride of operand <paramref name="k"/>.</summary>
    public readonly int InnerStride(int k) => _strides[(_rank - 1) * _ops + k];

    /// <summary>Innermost stride of each operand.</summary>
    public readonly ReadOnlySpan<int> InnerStrides => _strides.Slice((_rank - 1) * _ops, _ops);

    // Coalesce: size-1 dims are skipped by the callers; dim d merges into the previous kept one when
    // every operand has prevStride == stride[d] * size[d] (the two dims walk memory as one).
    private readonly void AddDim(int size, ReadOnlySpan<int> dim, ref int rank)
    {
        int ops = _ops;
        if (rank > 0)
        {
            var prev = _strides.Slice((rank - 1) * ops, ops);
            bool merge = true;
            for (int k = 0; k < ops && merge; k++) merge = prev[k] == dim[k] * size;
            if (merge)
            {
                _sizes[rank - 1] *= size;
                dim.CopyTo(prev);
                return;
            }
        }
        _sizes[rank] = size;
        dim.CopyTo(_strides.Slice(rank * ops, ops));
        rank++;
    }

    /// <summary>The stride operand (sizes, strides), right-aligned to the output, walks output dim d with; 0 where broadcast.</summary>
    private static int BroadcastStride(ReadOnlySpan<int> sizes, ReadOnlySpan<int> strides, int outRank, int d, int target)
    {
        int i = d - (outRank - sizes.Length);
        if (i < 0) return 0;
        return sizes[i] == 1 && target != 1 ? 0 : strides[i];
    }

    private readonly (int Inner, int Outer) Finish(ref int rank)
    {
        if (rank == 0)
        {
            _sizes[0] = 1;
            _strides[.._ops].Clear();
            rank = 1;
        }
        int outer = 1;
        bool empty = false;
        for (int d = 0; d < _rank; d++)
        {
            if (_sizes[d] == 0) empty = true;
            if (d < _rank - 1) outer *= _sizes[d];
        }
        return (_sizes[_rank - 1], empty ? 0 : outer);
    }

    /// <summary>Outer dimensions to track in the index passed to <see cref="Advance"/>.</summary>
    public readonly int OuterRank => Math.Max(_rank - 1, 1);

    /// <summary>
    /// Moves <paramref name="offsets"/> (one per operand) from the start of one innermost run to the
    /// start of the next, row-major, using <paramref name="index"/> (length <see cref="OuterRank"/>,
    /// zeroed before the first run) as the odometer.
    /// </summary>
    public readonly void Advance(Span<int> index, Span<int> offsets)
    {
        int ops = offsets.Length;
        for (int d = _rank - 2; d >= 0; d--)
        {
            var stride = _strides.Slice(d * _ops, _ops);
            index[d]++;
            for (int k = 0; k < ops; k++) offsets[k] += stride[k];
            if (index[d] < _sizes[d]) return;
            for (int k = 0; k < ops; k++) offsets[k] -= stride[k] * _sizes[d];
            index[d] = 0;
        }
    }
}
