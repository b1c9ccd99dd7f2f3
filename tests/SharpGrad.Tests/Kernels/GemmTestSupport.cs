using System.Numerics;

namespace SharpGrad.Tests.Kernels;

/// <summary>How a GEMM operand is laid out in its storage.</summary>
public enum GemmLayout
{
    /// <summary>Row-major, offset 0.</summary>
    Contiguous,
    /// <summary>Column-major (a transposed row-major matrix).</summary>
    Transposed,
    /// <summary>A slice: offset 5, column stride 2, row stride 2 * cols + 3.</summary>
    Strided,
    /// <summary>Every row the same (row stride 0, an expanded row vector).</summary>
    RowBroadcast,
    /// <summary>Every column the same (column stride 0, an expanded column vector).</summary>
    ColBroadcast,
}

/// <summary>
/// A rows x cols operand in a storage array whose every element outside the view holds
/// <c>filler</c> (NaN for floats), so a read outside the view shows up in the result.
/// </summary>
public sealed class GemmOperand<T> where T : unmanaged, INumber<T>
{
    public readonly T[] Data;
    public readonly int Offset, RowStride, ColStride, Rows, Cols;

    public GemmOperand(int rows, int cols, GemmLayout layout, Func<int, int, T> value, T filler)
    {
        Rows = rows;
        Cols = cols;
        (Offset, RowStride, ColStride) = layout switch
        {
            GemmLayout.Contiguous => (0, cols, 1),
            GemmLayout.Transposed => (0, 1, rows),
            GemmLayout.Strided => (5, 2 * cols + 3, 2),
            GemmLayout.RowBroadcast => (1, 0, 1),
            _ => (1, 1, 0),
        };
        int size = Offset + 1 + (rows - 1) * RowStride + (cols - 1) * ColStride + 4;
        Data = new T[size];
        Array.Fill(Data, filler);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                // Broadcast layouts alias elements: the value of the first row / column wins.
                int si = layout == GemmLayout.RowBroadcast ? 0 : i, sj = layout == GemmLayout.ColBroadcast ? 0 : j;
                Data[Offset + i * RowStride + j * ColStride] = value(si, sj);
            }
    }

    public T this[int i, int j] => Data[Offset + i * RowStride + j * ColStride];
}

/// <summary>Reference products and comparisons for the GEMM tests.</summary>
public static class GemmReference
{
    /// <summary><c>sum_p A[i, p] * B[p, j]</c> accumulated in double, and <c>sum_p |A[i, p] * B[p, j]|</c>.</summary>
    public static (double Value, double Magnitude) Element<T>(GemmOperand<T> a, GemmOperand<T> b, int i, int j)
        where T : unmanaged, INumber<T>
    {
        double sum = 0, magnitude = 0;
        for (int p = 0; p < a.Cols; p++)
        {
            double product = double.CreateTruncating(a[i, p]) * double.CreateTruncating(b[p, j]);
            sum += product;
            magnitude += Math.Abs(product);
        }
        return (sum, magnitude);
    }

    /// <summary>
    /// The chain the packed micro-kernel computes for one element: <c>acc = A[i, p] * B[p, j] + acc</c>
    /// for p ascending from acc = 0, fused (one rounding) or not.
    /// </summary>
    public static T Chain<T>(GemmOperand<T> a, GemmOperand<T> b, int i, int j, bool fused)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T acc = T.Zero;
        for (int p = 0; p < a.Cols; p++)
            acc = fused ? T.FusedMultiplyAdd(a[i, p], b[p, j], acc) : a[i, p] * b[p, j] + acc;
        return acc;
    }

    /// <summary>
    /// Asserts <c>|c - ref| &lt;= 1.01 k (u + 2^-53) sum|a b|</c>: the error bound of a length-k dot product
    /// in any summation order (u the unit roundoff of T) plus that of the double reference itself;
    /// NaN where the reference is NaN and the same infinity where it is infinite.
    /// </summary>
    public static void AssertClose<T>(T actual, (double Value, double Magnitude) expected, int k, string where)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double value = double.CreateTruncating(actual);
        if (double.IsNaN(expected.Value) || double.IsInfinity(expected.Value))
        {
            Assert.True(value.Equals(expected.Value), $"{where}: expected {expected.Value}, got {value}");
            return;
        }
        double u = typeof(T) == typeof(float) ? Math.Pow(2, -24) : Math.Pow(2, -53);
        double bound = 1.01 * k * (u + Math.Pow(2, -53)) * expected.Magnitude + double.Epsilon;
        Assert.True(Math.Abs(value - expected.Value) <= bound,
            $"{where}: expected {expected.Value}, got {value} (error {Math.Abs(value - expected.Value)} > bound {bound})");
    }

    /// <summary>Pseudo-random values in [-1, 1) hashed from (seed, i, j), as T.</summary>
    public static Func<int, int, T> Random<T>(int seed) where T : unmanaged, INumber<T> =>
        (i, j) => T.CreateTruncating(Hash(seed, i, j) * 2 - 1);

    /// <summary>Pseudo-random integers in [-8, 8] hashed from (seed, i, j): products of them are exact.</summary>
    public static Func<int, int, T> SmallIntegers<T>(int seed) where T : unmanaged, INumber<T> =>
        (i, j) => T.CreateTruncating(Math.Floor(Hash(seed, i, j) * 17) - 8);

    /// <summary>A value in [0, 1) from a SplitMix64 step over (seed, i, j).</summary>
    private static double Hash(int seed, int i, int j)
    {
        ulong z = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)i * 0xBF58476D1CE4E5B9UL + (ulong)j * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
