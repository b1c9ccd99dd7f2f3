namespace SharpGrad.Kernels;

/// <summary>
/// Note [Strided loop]: the one elementwise driver. Operand layouts (sizes shared, strides per
/// operand, 0 where broadcast) are first coalesced: adjacent dimensions that every operand walks
/// as one are merged, so contiguous and broadcast-contiguous tensors become a single run. The loop
/// then hands whole innermost runs to span kernels (unit stride, or a broadcast scalar), falling
/// back to a strided scalar loop only when an operand's innermost stride is neither 0 nor 1. There
/// is no per-element index arithmetic.
/// </summary>
internal ref struct StridedLoop
{
    private readonly int _rank;
    private readonly int[] _sizes;
    private readonly int[][] _strides;

    /// <summary>Innermost run length.</summary>
    public readonly int Inner;

    /// <summary>Innermost stride of each operand.</summary>
    public readonly int[] InnerStrides;

    /// <summary>Number of innermost runs.</summary>
    public readonly int Outer;

    public StridedLoop(ReadOnlySpan<int> sizes, params int[][] strides)
    {
        // Coalesce: drop size-1 dims, merge dim i into i+1 when every operand has stride[i] == stride[i+1]*size[i+1].
        var sz = new List<int>(sizes.Length);
        var st = new List<int[]>(sizes.Length);
        for (int d = 0; d < sizes.Length; d++)
        {
            if (sizes[d] == 1) continue;
            var dimStrides = new int[strides.Length];
            for (int k = 0; k < strides.Length; k++) dimStrides[k] = strides[k][d];
            if (sz.Count > 0)
            {
                var prev = st[^1];
                bool merge = true;
                for (int k = 0; k < strides.Length && merge; k++)
                    merge = prev[k] == dimStrides[k] * sizes[d];
                if (merge)
                {
                    sz[^1] *= sizes[d];
                    st[^1] = dimStrides;
                    continue;
                }
            }
            sz.Add(sizes[d]);
            st.Add(dimStrides);
        }
        if (sz.Count == 0)
        {
            sz.Add(1);
            st.Add(new int[strides.Length]);
        }
        _rank = sz.Count;
        _sizes = sz.ToArray();
        _strides = st.ToArray();
        Inner = _sizes[^1];
        InnerStrides = _strides[^1];
        int outer = 1;
        for (int d = 0; d < _rank - 1; d++) outer *= _sizes[d];
        Outer = _sizes.Contains(0) ? 0 : outer;
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
            var stride = _strides[d];
            index[d]++;
            for (int k = 0; k < ops; k++) offsets[k] += stride[k];
            if (index[d] < _sizes[d]) return;
            for (int k = 0; k < ops; k++) offsets[k] -= stride[k] * _sizes[d];
            index[d] = 0;
        }
    }
}
