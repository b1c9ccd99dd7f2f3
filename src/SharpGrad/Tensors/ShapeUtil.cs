namespace SharpGrad;

/// <summary>Sizes, strides, dimension wrapping and broadcasting rules shared by every op.</summary>
internal static class ShapeUtil
{
    public static int Numel(ReadOnlySpan<int> sizes)
    {
        long n = 1;
        foreach (int s in sizes) n *= s;
        if (n > Array.MaxLength) throw new ArgumentException($"tensor of {n} elements is larger than a .NET array allows");
        return (int)n;
    }

    public static int[] ContiguousStrides(ReadOnlySpan<int> sizes)
    {
        var strides = new int[sizes.Length];
        int acc = 1;
        for (int i = sizes.Length - 1; i >= 0; i--)
        {
            strides[i] = acc;
            acc *= Math.Max(sizes[i], 1);
        }
        return strides;
    }

    public static bool IsContiguous(ReadOnlySpan<int> sizes, ReadOnlySpan<int> strides)
    {
        int expected = 1;
        for (int i = sizes.Length - 1; i >= 0; i--)
        {
            if (sizes[i] == 0) return true;
            if (sizes[i] != 1 && strides[i] != expected) return false;
            expected *= sizes[i];
        }
        return true;
    }

    /// <summary>Wraps a possibly negative dimension index, with PyTorch's error text.</summary>
    public static int WrapDim(int dim, int rank)
    {
        int r = Math.Max(rank, 1);
        if (dim < -r || dim >= r)
            throw new IndexOutOfRangeException($"Dimension out of range (expected to be in range of [{-r}, {r - 1}], but got {dim})");
        return dim < 0 ? dim + r : dim;
    }

    public static string Format(ReadOnlySpan<int> sizes) => "[" + string.Join(", ", sizes.ToArray()) + "]";

    /// <summary>The broadcast shape of two shapes, with PyTorch's error text.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int n = Math.Max(a.Length, b.Length);
        var result = new int[n];
        for (int i = n - 1; i >= 0; i--)
        {
            int ia = i - (n - a.Length), ib = i - (n - b.Length);
            int sa = ia >= 0 ? a[ia] : 1, sb = ib >= 0 ? b[ib] : 1;
            if (sa == sb || sb == 1) result[i] = sa;
            else if (sa == 1) result[i] = sb;
            else
                throw new ArgumentException(
                    $"The size of tensor a ({sa}) must match the size of tensor b ({sb}) at non-singleton dimension {i}");
        }
        return result;
    }

    /// <summary>Strides that read <paramref name="sizes"/>/<paramref name="strides"/> as <paramref name="target"/>, 0 where broadcast.</summary>
    public static int[] BroadcastStrides(ReadOnlySpan<int> sizes, ReadOnlySpan<int> strides, ReadOnlySpan<int> target)
    {
        var result = new int[target.Length];
        int offset = target.Length - sizes.Length;
        for (int i = 0; i < sizes.Length; i++)
            result[i + offset] = sizes[i] == 1 && target[i + offset] != 1 ? 0 : strides[i];
        return result;
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
