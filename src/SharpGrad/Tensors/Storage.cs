namespace SharpGrad;

/// <summary>The flat array behind one or more tensor views.</summary>
/// <remarks>
/// Two ways to reach the array (Note [Storage pool]): <see cref="As{T}"/> / <see cref="Data"/> hand
/// it out for good (the array then never returns to the pool), <see cref="Borrow{T}"/> lends it to
/// a kernel that keeps this storage alive (<c>GC.KeepAlive</c>) until it is done with the span.
/// </remarks>
internal sealed class Storage
{
    private readonly Array _data;
    private readonly StoragePool.Entry? _poolEntry;

    public Storage(Array data, DType dtype)
    {
        _data = data;
        DType = dtype;
    }

    /// <summary>A storage whose array the pool tracks (Note [Storage pool]).</summary>
    internal Storage(Array data, DType dtype, StoragePool.Entry poolEntry) : this(data, dtype) => _poolEntry = poolEntry;

    /// <summary>A float[], double[], long[], int[] or bool[] matching <see cref="DType"/>; the array escapes (never pooled).</summary>
    public Array Data
    {
        get
        {
            Escape();
            return _data;
        }
    }

    public DType DType { get; }

    public int Length => _data.Length;

    /// <summary>The array, handed out for good: it will never go back to the pool.</summary>
    public T[] As<T>()
    {
        Escape();
        return (T[])_data;
    }

    /// <summary>
    /// The elements, lent: the caller must keep this storage reachable until it last touches the
    /// span (<c>GC.KeepAlive(storage)</c> after the loop), Note [Storage pool].
    /// </summary>
    public Span<T> Borrow<T>() => (T[])_data;

    /// <summary>
    /// The array itself, lent on the terms of <see cref="Borrow{T}"/>: for kernels that take arrays
    /// (GEMM), which must neither keep it nor hand it on, and must <c>GC.KeepAlive</c> this storage
    /// after their last access (Note [Storage pool]).
    /// </summary>
    public T[] BorrowArray<T>() => (T[])_data;

    private void Escape() => _poolEntry?.Escape();

    /// <summary>Whether <paramref name="array"/> is this storage's array (for tests; does not hand the array out).</summary>
    internal bool IsBackedBy(Array array) => ReferenceEquals(_data, array);

    /// <summary>Whether the pool tracks this storage (Note [Storage pool]; for tests).</summary>
    internal bool IsPooled => _poolEntry is not null;

    public static Storage Allocate(DType dtype, int length)
    {
        if (StoragePool.Qualifies(dtype, length)) return StoragePool.Allocate(dtype, length, zero: true);
        return new(dtype switch
        {
            DType.Float32 => new float[length],
            DType.Float64 => new double[length],
            DType.Int64 => new long[length],
            DType.Int32 => new int[length],
            _ => new bool[length],
        }, dtype);
    }

    /// <summary>Storage whose contents are not initialised: for results a kernel overwrites entirely.</summary>
    public static Storage AllocateUninitialized(DType dtype, int length)
    {
        if (StoragePool.Qualifies(dtype, length)) return StoragePool.Allocate(dtype, length, zero: false);
        return new(dtype switch
        {
            DType.Float32 => GC.AllocateUninitializedArray<float>(length),
            DType.Float64 => GC.AllocateUninitializedArray<double>(length),
            DType.Int64 => GC.AllocateUninitializedArray<long>(length),
            DType.Int32 => GC.AllocateUninitializedArray<int>(length),
            _ => GC.AllocateUninitializedArray<bool>(length),
        }, dtype);
    }
}

/// <summary>
/// Note [Version counter]: one counter is shared by a tensor and every view and <c>Detach()</c> alias
/// of it; every in-place write through any of them bumps it. A saved tensor records the version when
/// it is saved and refuses to unpack if it moved, so an in-place write that would corrupt a gradient
/// is caught however the memory was reached. <c>Data</c> deliberately gets a fresh counter, as in
/// PyTorch, so writes through <c>.Data</c> are invisible to autograd.
/// </summary>
internal sealed class VersionCounter
{
    public int Value;
}
