using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>Elementwise selection, the kernel of <c>torch.where</c>.</summary>
internal static class SelectKernel
{
    /// <summary>out = cond ? x : y, with all three broadcast to out's shape; all of out's element type.</summary>
    public static void Run<T>(Tensor cond, Tensor x, Tensor y, Tensor output) where T : unmanaged
    {
        var cStrides = ShapeUtil.BroadcastStrides(cond.Sizes, cond.Strides, output.Sizes);
        var xStrides = ShapeUtil.BroadcastStrides(x.Sizes, x.Strides, output.Sizes);
        var yStrides = ShapeUtil.BroadcastStrides(y.Sizes, y.Strides, output.Sizes);
        var loop = new StridedLoop(output.Sizes, cStrides, xStrides, yStrides, output.Strides);
        var cs = cond.Storage.Borrow<bool>();
        var xs = x.Storage.Borrow<T>();
        var ys = y.Storage.Borrow<T>();
        var os = output.Storage.Borrow<T>();
        Span<int> index = stackalloc int[loop.OuterRank];
        index.Clear();
        Span<int> offsets = [cond.Offset, x.Offset, y.Offset, output.Offset];
        int n = loop.Inner;
        int sc = loop.InnerStrides[0], sx = loop.InnerStrides[1], sy = loop.InnerStrides[2], so = loop.InnerStrides[3];
        bool vectorRuns = sc == 1 && so == 1 && sx is 0 or 1 && sy is 0 or 1 && Avx2.IsSupported
            && (typeof(T) == typeof(float) || typeof(T) == typeof(double));
        for (int run = 0; run < loop.Outer; run++)
        {
            int oc = offsets[0], ox = offsets[1], oy = offsets[2], oo = offsets[3];
            int i = vectorRuns ? VectorRun(n, cs[oc..], xs[ox..], sx, ys[oy..], sy, os[oo..]) : 0;
            for (; i < n; i++)
                os[oo + i * so] = cs[oc + i * sc] ? xs[ox + i * sx] : ys[oy + i * sy];
            loop.Advance(index, offsets);
        }
        GC.KeepAlive(cond.Storage);
        GC.KeepAlive(x.Storage);
        GC.KeepAlive(y.Storage);
        GC.KeepAlive(output.Storage);
    }

    /// <summary>
    /// The leading whole registers of a contiguous run (x and y contiguous or one repeated value):
    /// each bool byte widens to an all-ones-or-zero lane mask that blends x and y. Returns how many
    /// elements it wrote; the caller finishes the rest.
    /// </summary>
    private static unsafe int VectorRun<T>(int n, ReadOnlySpan<bool> c, ReadOnlySpan<T> x, int sx,
        ReadOnlySpan<T> y, int sy, Span<T> o) where T : unmanaged
    {
        int i = 0;
        if (n < 8) return 0;
        fixed (bool* pc = c)
        fixed (T* px0 = x, py0 = y, po0 = o)
        {
            if (typeof(T) == typeof(float))
            {
                float* px = (float*)px0, py = (float*)py0, po = (float*)po0;
                Vector256<float> xv = Vector256.Create(*px), yv = Vector256.Create(*py);
                for (; i + 8 <= n; i += 8)
                {
                    var keepY = Vector256.Equals(Avx2.ConvertToVector256Int32((byte*)pc + i), Vector256<int>.Zero).AsSingle();
                    if (sx == 1) xv = Avx.LoadVector256(px + i);
                    if (sy == 1) yv = Avx.LoadVector256(py + i);
                    Avx.Store(po + i, Vector256.ConditionalSelect(keepY, yv, xv));
                }
            }
            else
            {
                double* px = (double*)px0, py = (double*)py0, po = (double*)po0;
                Vector256<double> xv = Vector256.Create(*px), yv = Vector256.Create(*py);
                for (; i + 4 <= n; i += 4)
                {
                    var keepY = Vector256.Equals(Avx2.ConvertToVector256Int64((byte*)pc + i), Vector256<long>.Zero).AsDouble();
                    if (sx == 1) xv = Avx.LoadVector256(px + i);
                    if (sy == 1) yv = Avx.LoadVector256(py + i);
                    Avx.Store(po + i, Vector256.ConditionalSelect(keepY, yv, xv));
                }
            }
        }
        return i;
    }

    /// <summary>Dispatches <see cref="Run{T}"/> on the dtype of <paramref name="output"/>.</summary>
    public static void Apply(Tensor cond, Tensor x, Tensor y, Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: Run<float>(cond, x, y, output); break;
            case DType.Float64: Run<double>(cond, x, y, output); break;
            case DType.Int64: Run<long>(cond, x, y, output); break;
            case DType.Int32: Run<int>(cond, x, y, output); break;
            default: Run<bool>(cond, x, y, output); break;
        }
    }
}
