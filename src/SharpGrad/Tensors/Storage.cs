namespace SharpGrad;

/// <summary>The flat array behind one or more tensor views.</summary>
internal sealed class Storage
{
    public Storage(Array data, DType dtype)
    {
        Data = data;
        DType = dtype;
    }

    /// <summary>A float[], double[], long[], int[] or bool[] matching <see cref="DType"/>.</summary>
    public Array Data { get; }

    public DType DType { get; }

    public int Length => Data.Length;

    public T[] As<T>() => (T[])Data;

    public static Storage Allocate(DType dtype, int length) => new(dtype switch
    {
        DType.Float32 => new float[length],
        DType.Float64 => new double[length],
        DType.Int64 => new long[length],
        DType.Int32 => new int[length],
        _ => new bool[length],
    }, dtype);
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
