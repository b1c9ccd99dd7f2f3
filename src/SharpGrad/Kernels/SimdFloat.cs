using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SharpGrad.Kernels;

// Note [One algorithm, every width]: the FastMath kernels (exp, sigmoid, tanh) are written once,
// generic over a vector type TV and a struct S that supplies its operations (ISimdFloat<TV>).
// The JIT specialises the generic code for each struct S, so `S.Fma(a, b, c)` compiles to one
// vfmadd instruction. The same algorithm then runs on Vector512 (AVX-512), Vector256 (AVX2+FMA),
// Vector128 (SSE/AdvSimd) and plain float (ScalarFloat, the fallback and the short tails), and all
// widths give bit-identical results: every lane performs the same operations in the same order,
// each correctly rounded, and Fma is fused at every width (MathF.FusedMultiplyAdd for scalars).
// Masks are vectors whose lanes are all ones (true) or all zeros (false), as comparisons return.

/// <summary>The float vector operations FastMath's kernels are written in (Note [One algorithm, every width]).</summary>
internal interface ISimdFloat<TV> where TV : struct
{
    /// <summary>Number of float lanes in TV.</summary>
    static abstract int Count { get; }
    /// <summary>TV from the Count floats at src[i..].</summary>
    static abstract TV Load(ref float src, nuint i);
    /// <summary>dst[i..i+Count] = v.</summary>
    static abstract void Store(TV v, ref float dst, nuint i);
    /// <summary>Every lane = v.</summary>
    static abstract TV Splat(float v);
    /// <summary>a + b.</summary>
    static abstract TV Add(TV a, TV b);
    /// <summary>a - b.</summary>
    static abstract TV Sub(TV a, TV b);
    /// <summary>a * b.</summary>
    static abstract TV Mul(TV a, TV b);
    /// <summary>a / b.</summary>
    static abstract TV Div(TV a, TV b);
    /// <summary>a * b + c with a single rounding.</summary>
    static abstract TV Fma(TV a, TV b, TV c);
    /// <summary>Bitwise a | b.</summary>
    static abstract TV Or(TV a, TV b);
    /// <summary>Bitwise a &amp; b.</summary>
    static abstract TV And(TV a, TV b);
    /// <summary>Bitwise a &amp; ~b.</summary>
    static abstract TV AndNot(TV a, TV b);
    /// <summary>Lanes: a &lt; b ? a : b, the platform instruction (NaN handling unspecified).</summary>
    static abstract TV MinNative(TV a, TV b);
    /// <summary>Lanes: a &gt; b ? a : b, the platform instruction (NaN handling unspecified).</summary>
    static abstract TV MaxNative(TV a, TV b);
    /// <summary>Mask of a &lt; b (false where either is NaN).</summary>
    static abstract TV LessThan(TV a, TV b);
    /// <summary>Mask of a &gt;= b (false where either is NaN).</summary>
    static abstract TV GreaterThanOrEqual(TV a, TV b);
    /// <summary>Mask of a == b (false where either is NaN).</summary>
    static abstract TV Equal(TV a, TV b);
    /// <summary>Lanes: mask ? a : b.</summary>
    static abstract TV Select(TV mask, TV a, TV b);
    /// <summary>True when a &lt; b in every lane (false if any lane is NaN).</summary>
    static abstract bool AllLessThan(TV a, TV b);
    /// <summary>Reinterprets each lane as int32, shifts it left by 23 and back: moves the low 9 bits into sign and exponent.</summary>
    static abstract TV ShiftLeft23(TV a);
    /// <summary>Adds the int32 views of the lanes (wrapping) and reinterprets the sums as floats.</summary>
    static abstract TV AddBits(TV a, TV b);
}

/// <summary>One float as a one-lane vector: the fallback when no SIMD is accelerated, and short tails.</summary>
internal readonly struct ScalarFloat : ISimdFloat<float>
{
    private static float Mask(bool b) => b ? BitConverter.Int32BitsToSingle(-1) : 0f;
    private static int Bits(float a) => BitConverter.SingleToInt32Bits(a);
    private static float Float(int a) => BitConverter.Int32BitsToSingle(a);

    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(ref float src, nuint i) => Unsafe.Add(ref src, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float v, ref float dst, nuint i) => Unsafe.Add(ref dst, i) = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Splat(float v) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sub(float a, float b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Mul(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Div(float a, float b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Fma(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Or(float a, float b) => Float(Bits(a) | Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float And(float a, float b) => Float(Bits(a) & Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float AndNot(float a, float b) => Float(Bits(a) & ~Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MinNative(float a, float b) => a < b ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxNative(float a, float b) => a > b ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float LessThan(float a, float b) => Mask(a < b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float GreaterThanOrEqual(float a, float b) => Mask(a >= b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Equal(float a, float b) => Mask(a == b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Select(float mask, float a, float b) => Bits(mask) != 0 ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllLessThan(float a, float b) => a < b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float ShiftLeft23(float a) => Float(Bits(a) << 23);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float AddBits(float a, float b) => Float(Bits(a) + Bits(b));
}

/// <summary>Vector128&lt;float&gt; operations (SSE4/AVX or AdvSimd).</summary>
internal readonly struct Simd128 : ISimdFloat<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(ref float src, nuint i) => Vector128.LoadUnsafe(ref src, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> v, ref float dst, nuint i) => v.StoreUnsafe(ref dst, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Splat(float v) => Vector128.Create(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sub(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Mul(Vector128<float> a, Vector128<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Div(Vector128<float> a, Vector128<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Or(Vector128<float> a, Vector128<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> And(Vector128<float> a, Vector128<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> AndNot(Vector128<float> a, Vector128<float> b) => Vector128.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MinNative(Vector128<float> a, Vector128<float> b) => Vector128.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MaxNative(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LessThan(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> GreaterThanOrEqual(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Equal(Vector128<float> a, Vector128<float> b) => Vector128.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> mask, Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllLessThan(Vector128<float> a, Vector128<float> b) => Vector128.LessThanAll(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> ShiftLeft23(Vector128<float> a) => (a.AsInt32() << 23).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> AddBits(Vector128<float> a, Vector128<float> b) => (a.AsInt32() + b.AsInt32()).AsSingle();
}

/// <summary>Vector256&lt;float&gt; operations (AVX2 + FMA): the main fast path on this generation of x64.</summary>
internal readonly struct Simd256 : ISimdFloat<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(ref float src, nuint i) => Vector256.LoadUnsafe(ref src, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> v, ref float dst, nuint i) => v.StoreUnsafe(ref dst, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Splat(float v) => Vector256.Create(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sub(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Div(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Or(Vector256<float> a, Vector256<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> And(Vector256<float> a, Vector256<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> AndNot(Vector256<float> a, Vector256<float> b) => Vector256.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MinNative(Vector256<float> a, Vector256<float> b) => Vector256.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MaxNative(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> GreaterThanOrEqual(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Equal(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Select(Vector256<float> mask, Vector256<float> a, Vector256<float> b) => Vector256.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllLessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThanAll(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> ShiftLeft23(Vector256<float> a) => (a.AsInt32() << 23).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> AddBits(Vector256<float> a, Vector256<float> b) => (a.AsInt32() + b.AsInt32()).AsSingle();
}

/// <summary>Vector512&lt;float&gt; operations (AVX-512): the same algorithm, twice as wide.</summary>
internal readonly struct Simd512 : ISimdFloat<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(ref float src, nuint i) => Vector512.LoadUnsafe(ref src, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> v, ref float dst, nuint i) => v.StoreUnsafe(ref dst, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Splat(float v) => Vector512.Create(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sub(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Div(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Or(Vector512<float> a, Vector512<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> And(Vector512<float> a, Vector512<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> AndNot(Vector512<float> a, Vector512<float> b) => Vector512.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MinNative(Vector512<float> a, Vector512<float> b) => Vector512.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MaxNative(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> GreaterThanOrEqual(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Equal(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Select(Vector512<float> mask, Vector512<float> a, Vector512<float> b) => Vector512.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllLessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThanAll(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> ShiftLeft23(Vector512<float> a) => (a.AsInt32() << 23).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> AddBits(Vector512<float> a, Vector512<float> b) => (a.AsInt32() + b.AsInt32()).AsSingle();
}
