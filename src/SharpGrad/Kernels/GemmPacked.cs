using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// Note [Packed GEMM]: the BLIS / GotoBLAS loop nest for float and double. For each NC-wide
/// column panel of C and each KC-deep slice of k, the B panel (KC x NC, sized for L3) is packed
/// into NR-wide slivers; for each MC-tall row block, the A block (MC x KC, sized for L2) is packed
/// into MR-tall slivers; then every MR x NR tile of that block runs the micro-kernel (an NR-wide
/// B sliver of KC x NR stays in L1 while the A slivers stream past it). Partial tiles at the
/// right and bottom edges run the same kernel on a scratch tile (padded packing, Note [GEMM
/// packing]) and copy back only the valid part.
///
/// Threads: C is split into one contiguous range of whole MR-row slivers (or NR-column slivers
/// when n &gt; m) per thread through <see cref="ParallelFor"/>; each thread packs what it needs into
/// its own reusable buffers, so there is no barrier and no shared mutable state. Each element of
/// C is computed by exactly one thread as the same ordered chain over k (Note [GEMM micro-kernel]),
/// so the result is bit-identical for 1 and N threads.
/// </summary>
internal static unsafe class PackedGemm<TSimd, TVec, T>
    where TSimd : struct, IGemmSimd<TVec, T> where TVec : struct where T : unmanaged
{
    private const int MR = GemmMicroKernel<TSimd, TVec, T>.MR;
    private static readonly int NR = GemmMicroKernel<TSimd, TVec, T>.NR;

    // Note [GEMM block sizes]: the B sliver (KC x NR) and the A sliver (MR x KC) a tile reads
    // must stay in the 32 KiB L1d, the packed A block (MC x KC) in the 512 KiB L2, the B panel
    // (KC x NC) in a slice of L3. Measured on this Zen 3 with 256-bit registers: float is ~8%
    // faster with KC = 384 (24 KiB B sliver + 9 KiB A sliver) than with 256; double is ~15%
    // slower with 384 than with 256 (its 18 KiB A sliver then no longer fits beside B).
    private static readonly int SliverBytes = sizeof(T) == 4 ? 24576 : 16384;

    /// <summary>Depth of a panel: the B sliver is <see cref="SliverBytes"/> (KC = 384 float, 256 double at 256 bits).</summary>
    private static readonly int KC = Math.Clamp(SliverBytes / (NR * sizeof(T)), 64, 384);

    /// <summary>Rows of an A block (216 KiB float, 144 KiB double), a multiple of MR: 144 float, 72 double.</summary>
    private static readonly int MC = Math.Max(MR, (sizeof(T) == 4 ? 221184 : 147456) / (KC * sizeof(T)) / MR * MR);

    /// <summary>Columns of a B panel (3 MiB float, 2 MiB double), a multiple of NR: 2048 float, 1024 double.</summary>
    private static readonly int NC = Math.Max(NR, (sizeof(T) == 4 ? 3145728 : 2097152) / (KC * sizeof(T)) / NR * NR);

    /// <summary>
    /// <c>C = A @ B</c> (overwriting C, k &gt; 0), split over threads in ranges of at least
    /// <paramref name="parallelGrain"/> multiply-adds (<see cref="long.MaxValue"/>: calling thread only).
    /// </summary>
    public static void Run(int m, int n, int k, T* a, nint aRowStride, nint aColStride,
        T* b, nint bRowStride, nint bColStride, T* c, nint cRowStride, long parallelGrain)
    {
        bool splitRows = m >= n;
        int unit = splitRows ? MR : NR;
        int count = ((splitRows ? m : n) + unit - 1) / unit;
        long workPerUnit = (long)unit * (splitRows ? n : m) * k;
        int grain = (int)Math.Clamp((parallelGrain + workPerUnit - 1) / workPerUnit, 1, int.MaxValue);
        var body = new Body
        {
            M = m, N = n, K = k, SplitRows = splitRows,
            A = a, ARowStride = aRowStride, AColStride = aColStride,
            B = b, BRowStride = bRowStride, BColStride = bColStride,
            C = c, CRowStride = cRowStride,
        };
        ParallelFor.For(count, grain, ref body);
    }

    private struct Body : IRangeBody
    {
        public int M, N, K;
        public bool SplitRows;
        public T* A, B, C;
        public nint ARowStride, AColStride, BRowStride, BColStride, CRowStride;

        public readonly void Run(int start, int end)
        {
            if (SplitRows) Compute(start * MR, Math.Min(end * MR, M), 0, N);
            else Compute(0, M, start * NR, Math.Min(end * NR, N));
        }

        /// <summary>The loop nest over the sub-rectangle rows [i0, i1) x columns [j0, j1) of C.</summary>
        [SkipLocalsInit]
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Compute(int i0, int i1, int j0, int j1)
        {
            int kcMax = Math.Min(KC, K);
            int ncMax = Math.Min(NC, j1 - j0), mcMax = Math.Min(MC, i1 - i0);
            T* packedB = GemmBuffers<T>.B((ncMax + NR - 1) / NR * NR * kcMax);
            T* packedA = GemmBuffers<T>.A((mcMax + MR - 1) / MR * MR * kcMax);
            T* tile = stackalloc T[MR * NR];
            for (int jc = j0; jc < j1; jc += NC)
            {
                int nb = Math.Min(NC, j1 - jc);
                for (int pc = 0; pc < K; pc += KC)
                {
                    int kb = Math.Min(KC, K - pc);
                    GemmPacking<TSimd, TVec, T>.PackB(nb, kb, B + pc * BRowStride + jc * BColStride, BRowStride, BColStride, packedB);
                    for (int ic = i0; ic < i1; ic += MC)
                    {
                        int mb = Math.Min(MC, i1 - ic);
                        GemmPacking<TSimd, TVec, T>.PackA(mb, kb, A + ic * ARowStride + pc * AColStride, ARowStride, AColStride, packedA);
                        Block(mb, nb, kb, packedA, packedB, C + ic * CRowStride + jc, CRowStride, pc > 0, tile);
                    }
                }
            }
        }
    }

    /// <summary>All MR x NR tiles of one packed A block times one packed B panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(int mb, int nb, int kb, T* packedA, T* packedB, T* c, nint ldc, bool accumulate, T* tile)
    {
        for (int jr = 0; jr < nb; jr += NR)
        {
            int w = Math.Min(NR, nb - jr);
            T* bSliver = packedB + (nint)jr * kb;
            for (int ir = 0; ir < mb; ir += MR)
            {
                int h = Math.Min(MR, mb - ir);
                T* aSliver = packedA + (nint)ir * kb;
                T* cTile = c + ir * ldc + jr;
                // C is touched once per tile per depth panel, usually from L3 or memory: start
                // fetching the next tile's rows now so that the current tile's arithmetic hides it.
                if (Sse.IsSupported)
                {
                    T* next = ir + MR < mb ? cTile + MR * ldc : jr + NR < nb ? c + jr + NR : cTile;
                    for (int r = 0; r < MR; r++)
                    {
                        Sse.Prefetch0(next + r * ldc);
                        Sse.Prefetch0(next + r * ldc + NR - 1);
                    }
                }
                if (h == MR && w == NR)
                {
                    GemmMicroKernel<TSimd, TVec, T>.Tile(kb, aSliver, bSliver, cTile, ldc, accumulate);
                    continue;
                }
                if (accumulate)
                    for (int r = 0; r < h; r++)
                        for (int j = 0; j < w; j++) tile[r * NR + j] = cTile[r * ldc + j];
                GemmMicroKernel<TSimd, TVec, T>.Tile(kb, aSliver, bSliver, tile, NR, accumulate);
                for (int r = 0; r < h; r++)
                    for (int j = 0; j < w; j++) cTile[r * ldc + j] = tile[r * NR + j];
            }
        }
    }
}

/// <summary>
/// Per-thread pack buffers, grown as needed and kept for the thread's lifetime (the pool threads
/// of <see cref="ParallelFor"/> persist), pinned and 64-byte aligned so no call allocates.
/// </summary>
internal static unsafe class GemmBuffers<T> where T : unmanaged
{
    [ThreadStatic] private static T[]? t_a;
    [ThreadStatic] private static T[]? t_b;

    /// <summary>A buffer of at least <paramref name="count"/> elements for packed A.</summary>
    public static T* A(int count) => Get(ref t_a, count);

    /// <summary>A buffer of at least <paramref name="count"/> elements for packed B.</summary>
    public static T* B(int count) => Get(ref t_b, count);

    private static T* Get(ref T[]? buffer, int count)
    {
        int pad = 64 / sizeof(T);
        if (buffer is null || buffer.Length < count + pad)
            buffer = GC.AllocateUninitializedArray<T>(count + pad, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref buffer[0]);
        return (T*)((address + 63) & ~(nint)63);
    }
}
