using SharpGrad.Kernels;

namespace SharpGrad.Tests.Kernels;

/// <summary>Checks one output element of a unary kernel: its input, the span result and the kernel's own scalar result.</summary>
internal delegate void UnaryCheck<TIn, TOut>(Tracker t, TIn x, TOut got, TOut scalar, int index);

/// <summary>Checks one output element of a binary kernel.</summary>
internal delegate void BinaryCheck<TIn, TOut>(Tracker t, TIn a, TIn b, TOut got, TOut scalar, int index);

internal delegate void UnarySpan<TIn, TOut>(ReadOnlySpan<TIn> x, Span<TOut> d);

internal delegate void BinarySpan<TIn, TOut>(ReadOnlySpan<TIn> a, ReadOnlySpan<TIn> b, Span<TOut> d);

internal delegate void SpanScalar<TIn, TOut>(ReadOnlySpan<TIn> a, TIn b, Span<TOut> d);

internal delegate void ScalarSpan<TIn, TOut>(TIn a, ReadOnlySpan<TIn> b, Span<TOut> d);

/// <summary>A unary kernel's members as delegates, so the harness is instantiated per element type only (its JIT cost stays small).</summary>
internal sealed record UnaryKernel<TIn, TOut>(UnarySpan<TIn, TOut> Span, Func<TIn, TOut> Scalar, Action<Tensor, Tensor> Driver);

/// <summary>A binary kernel's members as delegates.</summary>
internal sealed record BinaryKernel<TIn, TOut>(BinarySpan<TIn, TOut> Span, SpanScalar<TIn, TOut> SpanScalar, ScalarSpan<TIn, TOut> ScalarSpan,
    Func<TIn, TIn, TOut> Scalar, Action<Tensor, Tensor, Tensor> Driver);

/// <summary>Wraps a concrete kernel (<see cref="IUnaryKernel{TIn, TOut}"/> or <see cref="IBinaryKernel{TIn, TOut}"/>) for the harness; the driver is Elementwise's.</summary>
internal static class Kernel
{
    public static UnaryKernel<TIn, TOut> Unary<TIn, TOut, TK>() where TK : IUnaryKernel<TIn, TOut> =>
        new(static (x, d) => TK.Span(x, d), static x => TK.Scalar(x), static (x, o) => Elementwise.Unary<TIn, TOut, TK>(x, o));

    public static BinaryKernel<TIn, TOut> Binary<TIn, TOut, TK>() where TK : IBinaryKernel<TIn, TOut> =>
        new(static (a, b, d) => TK.Span(a, b, d), static (a, b, d) => TK.SpanScalar(a, b, d), static (a, b, d) => TK.ScalarSpan(a, b, d),
            static (a, b) => TK.Scalar(a, b), static (a, b, o) => Elementwise.Binary<TIn, TOut, TK>(a, b, o));
}

/// <summary>A strided view for the driver tests: offset, sizes and strides into a padded storage.</summary>
internal sealed record View(int Offset, int[] Sizes, int[] Strides)
{
    public static View Contiguous(int offset, params int[] sizes) => new(offset, sizes, ShapeUtil.ContiguousStrides(sizes));

    /// <summary>A storage length holding the view with two spare elements after it.</summary>
    public int StorageLength
    {
        get
        {
            int last = Offset;
            if (Sizes.Contains(0)) return Offset + 2;
            for (int d = 0; d < Sizes.Length; d++) last += (Sizes[d] - 1) * Strides[d];
            return last + 3;
        }
    }

    /// <summary>Storage index of every element of <paramref name="target"/>'s shape (row-major), this view broadcast to it.</summary>
    public int[] Positions(int[] target)
    {
        var strides = ShapeUtil.BroadcastStrides(Sizes, Strides, target);
        int n = ShapeUtil.Numel(target);
        var positions = new int[n];
        for (int k = 0; k < n; k++)
        {
            int rest = k, p = Offset;
            for (int d = target.Length - 1; d >= 0; d--)
            {
                p += rest % target[d] * strides[d];
                rest /= target[d];
            }
            positions[k] = p;
        }
        return positions;
    }

    public Tensor Over<T>(T[] storage) => new(new Storage(storage, DTypeInfo.FromClr<T>()), Offset, Sizes, Strides);

    public override string ToString() => $"@{Offset} [{string.Join(",", Sizes)}]/[{string.Join(",", Strides)}]";
}

/// <summary>Which operand the output aliases in a driver case (in-place ops pass the same view twice).</summary>
internal enum Alias { None, A, B }

/// <summary>
/// Note [Kernel harness]: runs a kernel's span members at every length 0..<see cref="MaxLength"/>,
/// with input and output slices starting at offsets 0..3 (so SIMD loads are unaligned and the
/// vector tail takes every length); the span-scalar, scalar-span and in-place (input and output the
/// same span) forms at every length with the offset rotating through 0..3; and on a dense block of
/// special values; then runs the strided driver (Elementwise.Unary/Binary) on contiguous,
/// sliced, transposed, broadcast, expanded, 0-dim, empty and aliased views. Every element is checked
/// against the row's references, and elements outside the output must keep their bits.
/// </summary>
internal static class Harness
{
    public const int MaxLength = 257;

    public static readonly int[] Offsets = [0, 1, 2, 3];

    public static void UnarySpans<TIn, TOut>(Tracker t, UnaryKernel<TIn, TOut> kernel, Pool<TIn> pool, Pool<TOut> fill, UnaryCheck<TIn, TOut> check)
        where TIn : unmanaged where TOut : unmanaged
    {
        string dtype = typeof(TIn).Name;
        for (int n = 0; n <= MaxLength; n++)
            foreach (int o in Offsets)
            {
                int od = (o + 1) % 4;
                var x = Values.Fill(pool, n + 4, o);
                var d = Values.Fill(fill, n + 4, 5);
                t.Where = $"{dtype} span n={n} x@{o} out@{od}";
                RunUnary(t, kernel, x, o, d, od, n, check);
                if (typeof(TIn) == typeof(TOut) && o == n % 4)
                {
                    t.Where = $"{dtype} in-place span n={n} @{o}";
                    var y = (TOut[])(object)Values.Fill(pool, n + 4, o);
                    RunUnary(t, kernel, (TIn[])y.Clone(), o, y, o, n, check, inPlace: true);
                }
            }
        // Dense specials, three times over so they sit in full vectors as well as in the tail.
        var specials = Enumerable.Repeat(pool.Specials, 3).SelectMany(s => s).ToArray();
        foreach (int o in Offsets)
        {
            var x = new TIn[specials.Length + 4];
            specials.CopyTo(x, o);
            var d = Values.Fill(fill, x.Length, 3);
            t.Where = $"{dtype} dense specials x@{o}";
            RunUnary(t, kernel, x, o, d, 3 - o, specials.Length, check);
        }
    }

    /// <summary>Runs one span call; <paramref name="x"/> is the input as it was before the call (a copy when in place).</summary>
    private static void RunUnary<TIn, TOut>(Tracker t, UnaryKernel<TIn, TOut> kernel, TIn[] x, int o, TOut[] d, int od, int n, UnaryCheck<TIn, TOut> check, bool inPlace = false)
        where TIn : unmanaged where TOut : unmanaged
    {
        var before = (TOut[])d.Clone();
        ReadOnlySpan<TIn> input = inPlace ? ((TIn[])(object)d).AsSpan(o, n) : x.AsSpan(o, n);
        kernel.Span(input, d.AsSpan(od, n));
        t.True(Ulp.SameBits<TOut>(d.AsSpan(0, od), before.AsSpan(0, od)) && Ulp.SameBits<TOut>(d.AsSpan(od + n), before.AsSpan(od + n)), "wrote outside the output span");
        for (int i = 0; i < n; i++) check(t, x[o + i], d[od + i], kernel.Scalar(x[o + i]), i);
    }

    public static void BinarySpans<TIn, TOut>(Tracker t, BinaryKernel<TIn, TOut> kernel, Pool<TIn> poolA, Pool<TIn> poolB, Pool<TOut> fill, BinaryCheck<TIn, TOut> check)
        where TIn : unmanaged where TOut : unmanaged
    {
        string dtype = typeof(TIn).Name;
        var scalars = poolB.Specials.Concat(poolB.Ordinary.Take(9)).ToArray();
        var scalarsA = poolA.Specials.Concat(poolA.Ordinary.Take(9)).ToArray();
        for (int n = 0; n <= MaxLength; n++)
            foreach (int o in Offsets)
            {
                int ob = (o + 2) % 4, od = (o + 1) % 4;
                var a = Values.Fill(poolA, n + 4, o);
                var b = Values.Fill(poolB, n + 4, o + 7);
                t.Where = $"{dtype} span-span n={n} a@{o} b@{ob} out@{od}";
                RunBinary(t, kernel, a, o, b, ob, Values.Fill(fill, n + 4, 5), od, n, check, Alias.None);
                if (o != n % 4) continue; // the scalar and in-place forms take one offset per length, rotating
                TIn s = scalars[(n + o) % scalars.Length];
                t.Where = $"{dtype} span-scalar n={n} a@{o} b={Values.Show(s)} out@{od}";
                RunSpanScalar(t, kernel, a, o, s, Values.Fill(fill, n + 4, 5), od, n, check, inPlace: false);
                TIn r = scalarsA[(n + o + 3) % scalarsA.Length];
                t.Where = $"{dtype} scalar-span n={n} a={Values.Show(r)} b@{ob} out@{od}";
                RunScalarSpan(t, kernel, r, b, ob, Values.Fill(fill, n + 4, 5), od, n, check, inPlace: false);
                if (typeof(TIn) == typeof(TOut))
                {
                    t.Where = $"{dtype} in-place span-span (out is a) n={n} @{o} b@{ob}";
                    RunBinary(t, kernel, a, o, b, ob, (TOut[])(object)a.Clone(), o, n, check, Alias.A);
                    t.Where = $"{dtype} in-place span-span (out is b) n={n} a@{o} @{ob}";
                    RunBinary(t, kernel, a, o, b, ob, (TOut[])(object)b.Clone(), ob, n, check, Alias.B);
                    t.Where = $"{dtype} in-place span-scalar n={n} @{o} b={Values.Show(s)}";
                    RunSpanScalar(t, kernel, a, o, s, (TOut[])(object)a.Clone(), o, n, check, inPlace: true);
                    t.Where = $"{dtype} in-place scalar-span n={n} a={Values.Show(r)} @{ob}";
                    RunScalarSpan(t, kernel, r, b, ob, (TOut[])(object)b.Clone(), ob, n, check, inPlace: true);
                }
            }
        // Every pair of specials, then every special scalar against every special.
        var sa = poolA.Specials;
        var sb = poolB.Specials;
        int pairs = sa.Length * sb.Length;
        foreach (int o in Offsets)
        {
            var a = new TIn[pairs + 4];
            var b = new TIn[pairs + 4];
            for (int k = 0; k < pairs; k++) (a[o + k], b[(o + 1) % 4 + k]) = (sa[k / sb.Length], sb[k % sb.Length]);
            t.Where = $"{dtype} special pairs a@{o}";
            RunBinary(t, kernel, a, o, b, (o + 1) % 4, Values.Fill(fill, pairs + 4, 1), (o + 2) % 4, pairs, check, Alias.None);
        }
        var blockB = Enumerable.Repeat(sb, 3).SelectMany(s => s).ToArray();
        var blockA = Enumerable.Repeat(sa, 3).SelectMany(s => s).ToArray();
        foreach (var s in sb)
        {
            var a = new TIn[blockA.Length + 4];
            blockA.CopyTo(a, 1);
            t.Where = $"{dtype} specials-scalar b={Values.Show(s)}";
            RunSpanScalar(t, kernel, a, 1, s, Values.Fill(fill, a.Length, 2), 3, blockA.Length, check, inPlace: false);
        }
        foreach (var s in sa)
        {
            var b = new TIn[blockB.Length + 4];
            blockB.CopyTo(b, 2);
            t.Where = $"{dtype} scalar-specials a={Values.Show(s)}";
            RunScalarSpan(t, kernel, s, b, 2, Values.Fill(fill, b.Length, 2), 1, blockB.Length, check, inPlace: false);
        }
    }

    private static void RunBinary<TIn, TOut>(Tracker t, BinaryKernel<TIn, TOut> kernel, TIn[] a, int oa, TIn[] b, int ob, TOut[] d, int od, int n, BinaryCheck<TIn, TOut> check, Alias alias)
        where TIn : unmanaged where TOut : unmanaged
    {
        var before = (TOut[])d.Clone();
        var sa = alias == Alias.A ? ((TIn[])(object)d).AsSpan(oa, n) : a.AsSpan(oa, n);
        var sb = alias == Alias.B ? ((TIn[])(object)d).AsSpan(ob, n) : b.AsSpan(ob, n);
        kernel.Span(sa, sb, d.AsSpan(od, n));
        CheckOutside(t, d, before, od, n);
        for (int i = 0; i < n; i++) check(t, a[oa + i], b[ob + i], d[od + i], kernel.Scalar(a[oa + i], b[ob + i]), i);
    }

    private static void RunSpanScalar<TIn, TOut>(Tracker t, BinaryKernel<TIn, TOut> kernel, TIn[] a, int oa, TIn s, TOut[] d, int od, int n, BinaryCheck<TIn, TOut> check, bool inPlace)
        where TIn : unmanaged where TOut : unmanaged
    {
        var before = (TOut[])d.Clone();
        kernel.SpanScalar(inPlace ? ((TIn[])(object)d).AsSpan(oa, n) : a.AsSpan(oa, n), s, d.AsSpan(od, n));
        CheckOutside(t, d, before, od, n);
        for (int i = 0; i < n; i++) check(t, a[oa + i], s, d[od + i], kernel.Scalar(a[oa + i], s), i);
    }

    private static void RunScalarSpan<TIn, TOut>(Tracker t, BinaryKernel<TIn, TOut> kernel, TIn s, TIn[] b, int ob, TOut[] d, int od, int n, BinaryCheck<TIn, TOut> check, bool inPlace)
        where TIn : unmanaged where TOut : unmanaged
    {
        var before = (TOut[])d.Clone();
        kernel.ScalarSpan(s, inPlace ? ((TIn[])(object)d).AsSpan(ob, n) : b.AsSpan(ob, n), d.AsSpan(od, n));
        CheckOutside(t, d, before, od, n);
        for (int i = 0; i < n; i++) check(t, s, b[ob + i], d[od + i], kernel.Scalar(s, b[ob + i]), i);
    }

    private static void CheckOutside<T>(Tracker t, T[] d, T[] before, int od, int n) where T : unmanaged =>
        t.True(Ulp.SameBits<T>(d.AsSpan(0, od), before.AsSpan(0, od)) && Ulp.SameBits<T>(d.AsSpan(od + n), before.AsSpan(od + n)), "wrote outside the output span");

    /// <summary>Driver cases for unary kernels: (input, output, in place).</summary>
    internal static readonly (View X, View Out, bool InPlace)[] UnaryCases =
    [
        (View.Contiguous(0, 6, 35), View.Contiguous(0, 6, 35), false),
        (new View(3, [6, 35], [37, 1]), View.Contiguous(1, 6, 35), false),
        (new View(0, [6, 35], [1, 6]), View.Contiguous(0, 6, 35), false),
        (new View(2, [6, 1], [1, 1]), View.Contiguous(0, 6, 35), false),
        (View.Contiguous(1, 35), View.Contiguous(0, 6, 35), false),
        (View.Contiguous(0, 6, 35), new View(0, [6, 35], [1, 6]), false),
        (new View(2, [6, 35], [36, 1]), new View(2, [6, 35], [36, 1]), true),
        (new View(5, [2, 3, 17], [60, 20, 1]), View.Contiguous(0, 2, 3, 17), false),
        (new View(1, [3, 4, 5], [1, 15, 3]), new View(2, [3, 4, 5], [20, 5, 1]), false),
        (View.Contiguous(0, 4, 0), View.Contiguous(0, 4, 0), false),
        (View.Contiguous(3), View.Contiguous(1), false),
        (View.Contiguous(3), View.Contiguous(0, 7), false),
        (View.Contiguous(1, 300), View.Contiguous(2, 300), false),
    ];

    public static void UnaryStrided<TIn, TOut>(Tracker t, UnaryKernel<TIn, TOut> kernel, Pool<TIn> pool, Pool<TOut> fill, UnaryCheck<TIn, TOut> check)
        where TIn : unmanaged where TOut : unmanaged
    {
        foreach (var (xv, ov, inPlace) in UnaryCases)
        {
            if (inPlace && typeof(TIn) != typeof(TOut)) continue;
            t.Where = $"{typeof(TIn).Name} driver x{xv} out{ov}{(inPlace ? " in place" : "")}";
            var xs = Values.Fill(pool, xv.StorageLength, ov.StorageLength);
            var os = inPlace ? (TOut[])(object)xs.Clone() : Values.Fill(fill, ov.StorageLength, 4);
            var xBefore = inPlace ? (TIn[])(object)os.Clone() : xs;
            var oBefore = (TOut[])os.Clone();
            var x = inPlace ? xv.Over((TIn[])(object)os) : xv.Over(xs);
            kernel.Driver(x, ov.Over(os));
            var op = ov.Positions(ov.Sizes);
            var xp = xv.Positions(ov.Sizes);
            CheckUntouched(t, os, oBefore, op);
            for (int k = 0; k < op.Length; k++) check(t, xBefore[xp[k]], os[op[k]], kernel.Scalar(xBefore[xp[k]]), k);
        }
    }

    /// <summary>Driver cases for binary kernels: (a, b, output, which operand the output aliases).</summary>
    private static readonly (View A, View B, View Out, Alias Alias)[] BinaryCases =
    [
        (View.Contiguous(0, 6, 35), View.Contiguous(0, 6, 35), View.Contiguous(0, 6, 35), Alias.None),
        (View.Contiguous(1, 6, 35), new View(0, [6, 1], [1, 1]), View.Contiguous(2, 6, 35), Alias.None),
        (new View(3, [6, 1], [1, 1]), View.Contiguous(1, 6, 35), View.Contiguous(0, 6, 35), Alias.None),
        (View.Contiguous(1, 35), new View(0, [6, 35], [1, 6]), View.Contiguous(0, 6, 35), Alias.None),
        (new View(1, [6, 35], [37, 1]), new View(3, [6, 35], [36, 1]), new View(2, [6, 35], [38, 1]), Alias.None),
        (new View(0, [6, 1], [1, 1]), new View(2, [6, 1], [2, 1]), View.Contiguous(0, 6, 35), Alias.None),
        (View.Contiguous(2), View.Contiguous(1, 6, 35), View.Contiguous(0, 6, 35), Alias.None),
        (View.Contiguous(1, 6, 35), View.Contiguous(3), View.Contiguous(0, 6, 35), Alias.None),
        (new View(2, [6, 35], [36, 1]), View.Contiguous(1, 6, 35), new View(2, [6, 35], [36, 1]), Alias.A),
        (View.Contiguous(0, 35), new View(1, [6, 35], [35, 1]), new View(1, [6, 35], [35, 1]), Alias.B),
        (View.Contiguous(0, 6, 35), View.Contiguous(1, 6, 35), new View(0, [6, 35], [1, 6]), Alias.None),
        (new View(1, [2, 3, 17], [60, 20, 1]), new View(0, [3, 1], [1, 1]), View.Contiguous(0, 2, 3, 17), Alias.None),
        (View.Contiguous(0, 1, 35), new View(1, [6, 1], [1, 1]), View.Contiguous(0, 6, 35), Alias.None),
        (View.Contiguous(0, 0, 5), View.Contiguous(0, 5), View.Contiguous(0, 0, 5), Alias.None),
        (View.Contiguous(0), View.Contiguous(1), View.Contiguous(2), Alias.None),
        (View.Contiguous(1, 300), View.Contiguous(2, 300), View.Contiguous(3, 300), Alias.None),
    ];

    public static void BinaryStrided<TIn, TOut>(Tracker t, BinaryKernel<TIn, TOut> kernel, Pool<TIn> poolA, Pool<TIn> poolB, Pool<TOut> fill, BinaryCheck<TIn, TOut> check)
        where TIn : unmanaged where TOut : unmanaged
    {
        foreach (var (av, bv, ov, alias) in BinaryCases)
        {
            if (alias != Alias.None && typeof(TIn) != typeof(TOut)) continue;
            t.Where = $"{typeof(TIn).Name} driver a{av} b{bv} out{ov}{(alias == Alias.None ? "" : " out is " + alias)}";
            var storageA = Values.Fill(poolA, av.StorageLength, 1);
            var storageB = Values.Fill(poolB, bv.StorageLength, 2);
            var os = alias switch
            {
                Alias.A => (TOut[])(object)storageA,
                Alias.B => (TOut[])(object)storageB,
                _ => Values.Fill(fill, ov.StorageLength, 3),
            };
            var aBefore = (TIn[])storageA.Clone();
            var bBefore = (TIn[])storageB.Clone();
            var oBefore = (TOut[])os.Clone();
            kernel.Driver(av.Over(storageA), bv.Over(storageB), ov.Over(os));
            var op = ov.Positions(ov.Sizes);
            var ap = av.Positions(ov.Sizes);
            var bp = bv.Positions(ov.Sizes);
            CheckUntouched(t, os, oBefore, op);
            for (int k = 0; k < op.Length; k++)
                check(t, aBefore[ap[k]], bBefore[bp[k]], os[op[k]], kernel.Scalar(aBefore[ap[k]], bBefore[bp[k]]), k);
        }
    }

    /// <summary>Storage elements that are not in the output view must keep their bits.</summary>
    public static void CheckUntouched<T>(Tracker t, T[] storage, T[] before, int[] outputPositions) where T : unmanaged
    {
        var written = new bool[storage.Length];
        foreach (int p in outputPositions) written[p] = true;
        for (int i = 0; i < storage.Length; i++)
            if (!written[i] && !Ulp.SameBits<T>(storage.AsSpan(i, 1), before.AsSpan(i, 1)))
            {
                t.Fail($"wrote storage element {i} outside the output view: {t.Where}");
                return;
            }
    }
}
