namespace SharpGrad.Kernels;

/// <summary>Elementwise selection, the kernel of <c>torch.where</c>.</summary>
internal static class SelectKernel
{
    /// <summary>out = cond ? x : y, with all three broadcast to out's shape; all of out's element type.</summary>
    public static void Run<T>(Tensor cond, Tensor x, Tensor y, Tensor output)
    {
        var cStrides = ShapeUtil.BroadcastStrides(cond.Sizes, cond.Strides, output.Sizes);
        var xStrides = ShapeUtil.BroadcastStrides(x.Sizes, x.Strides, output.Sizes);
        var yStrides = ShapeUtil.BroadcastStrides(y.Sizes, y.Strides, output.Sizes);
        var loop = new StridedLoop(output.Sizes, cStrides, xStrides, yStrides, output.Strides);
        var cs = cond.Storage.As<bool>();
        var xs = x.Storage.As<T>();
        var ys = y.Storage.As<T>();
        var os = output.Storage.As<T>();
        Span<int> index = stackalloc int[loop.OuterRank];
        index.Clear();
        Span<int> offsets = [cond.Offset, x.Offset, y.Offset, output.Offset];
        int n = loop.Inner;
        int sc = loop.InnerStrides[0], sx = loop.InnerStrides[1], sy = loop.InnerStrides[2], so = loop.InnerStrides[3];
        for (int run = 0; run < loop.Outer; run++)
        {
            int oc = offsets[0], ox = offsets[1], oy = offsets[2], oo = offsets[3];
            for (int i = 0; i < n; i++)
                os[oo + i * so] = cs[oc + i * sc] ? xs[ox + i * sx] : ys[oy + i * sy];
            loop.Advance(index, offsets);
        }
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
