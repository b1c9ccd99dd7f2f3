using System.Runtime.CompilerServices;

namespace SharpGrad.Kernels;

/// <summary>
/// An elementwise float function written once over ISimdFloat (Note [One algorithm, every width]),
/// split into a fast path valid where IsFast holds and a general path for every input.
/// </summary>
internal interface IFloatKernel
{
    /// <summary>True when Fast is valid for every lane of x.</summary>
    static abstract bool IsFast<S, TV>(TV x) where S : ISimdFloat<TV> where TV : struct;
    /// <summary>The function on every lane of x, assuming IsFast(x).</summary>
    static abstract TV Fast<S, TV>(TV x) where S : ISimdFloat<TV> where TV : struct;
    /// <summary>The function on every lane of x, for any x (NaN, infinities, overflow, underflow).</summary>
    static abstract TV Any<S, TV>(TV x) where S : ISimdFloat<TV> where TV : struct;
}

// Note [Fast exp]: exp(x) = 2^n * exp(r) with n = round(x / ln 2) and r = x - n ln 2, |r| <= ln2/2.
// - n: t = x * log2(e) + 1.5 * 2^23 (one FMA). In [2^23, 2^24) a float's ulp is 1, so the FMA's
//   rounding IS round-to-nearest of x*log2(e), and the integer n sits in t's low mantissa bits.
// - r: Cody-Waite, r = (x - n*Ln2Hi) - n*Ln2Lo. Ln2Hi has 16 significant bits, so n*Ln2Hi is
//   exact for |n| < 256 and the first FMA is exact; the second rounds once (<= 0.5 ulp of r).
// - exp(r) = 1 + r + r^2 (C2 + C3 r + ... + C6 r^4): degree 6, coefficients fitted by us for minimax
//   relative error on [-0.3467, 0.3467] (Lawson's algorithm, rounded to float one at a time and the
//   rest refitted): 3e-9 relative, far below float's 6e-8. Horner with FMA.
// - 2^n: shifting t's bits left by 23 moves n's low 9 bits into the exponent field, so adding
//   them (integer add) to exp(r)'s bits multiplies it by 2^n. Fast path only when every lane has
//   |x| < 86: then |n| <= 124 and the result is a normal float (no overflow, no denormal).
// - Other vectors (some |x| >= 86, an infinity or a NaN) take Any: clamp x to [-104, 89]
//   (exp is 0 resp. +inf in float beyond), scale by 2^n1 * 2^n2 with n1 + n2 = n as two float
//   multiplications: 2^n1 and 2^n2 are normal floats, and the last multiplication rounds once
//   into the denormal range or to +inf, as the true result would. NaN lanes return x itself.
// Error over all 2^32 floats (a one-off exhaustive run): max 1 ulp against Math.Exp rounded to float.
// FastMathTests check <= 2 ulp on a million of them.

/// <summary>exp(x) for float lanes (Note [Fast exp]).</summary>
internal readonly struct ExpKernel : IFloatKernel
{
    private const float Log2E = 1.44269504f;
    private const float Shifter = 12582912f;            // 1.5 * 2^23
    private const float BiasedShifter = 12583039f;      // 1.5 * 2^23 + 127: t's low bits are then n + 127
    private const float Ln2Hi = 0.693145751953125f;     // 0x3F317200
    private const float Ln2Lo = 1.4286068e-6f;          // ln 2 - Ln2Hi, rounded
    private const float FastLimit = 86f;
    private const float C2 = 0.49999994f;               // 0x3EFFFFFE
    private const float C3 = 0.16666521f;               // 0x3E2AAA49
    private const float C4 = 0.041668262f;              // 0x3D2AAC57
    private const float C5 = 0.0083686747f;             // 0x3C091CC4
    private const float C6 = 0.0013821055f;             // 0x3AB527C4

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFast<S, TV>(TV x) where S : ISimdFloat<TV> where TV : struct =>
        S.AllLessThan(S.AndNot(x, S.Splat(-0f)), S.Splat(FastLimit));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Fast<S, TV>(TV x) where S : ISimdFloat<TV> where TV : struct
    {
        TV t = S.Fma(x, S.Splat(Log2E), S.Splat(Shifter));
        TV p = Reduced<S, TV>(x, S.Sub(t, S.Splat(Shifter)));
        return S.AddBits(p, S.ShiftLeft23(t));
    }

    /// <summary>exp(x - n ln 2) for integral n: the reduced argument and the polynomial.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Reduced<S, TV>(TV x, TV n) where S : ISimdFloat<TV> where TV : struct
    {
        TV r = S.Fma(n, S.Splat(-Ln2Hi), x);
        r = S.Fma(n, S.Splat(-Ln2Lo), r);
        TV p = S.Fma(S.Splat(C6), r, S.Splat(C5));
        p = S.Fma(p, r, S.Splat(C4));
        p = S.Fma(p, r, S.Splat(C3));
        p = S.Fma(p, r, S.Splat(C2));
        p = S.Fma(p, r, S.Splat(1f));
        return S.Fma(p, r, S.Splat(1f));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Any<S, TV>(TV x) where S : ISimdFloat<TV> where TV : struct
    {
        TV xc = S.MinNative(S.MaxNative(x, S.Splat(-104f)), S.Splat(89f));
        TV t = S.Fma(xc, S.Splat(Log2E), S.Splat(Shifter));
        TV n = S.Sub(t, S.Splat(Shifter));
        TV p = Reduced<S, TV>(xc, n);
        TV n1 = S.Sub(S.Fma(n, S.Splat(0.5f), S.Splat(Shifter)), S.Splat(Shifter)); // round(n / 2)
        TV n2 = S.Sub(n, n1);
        TV scale1 = S.ShiftLeft23(S.Add(n1, S.Splat(BiasedShifter)));            // 2^n1, n1 in [-75, 64]
        TV scale2 = S.ShiftLeft23(S.Add(n2, S.Splat(BiasedShifter)));            // 2^n2, n2 in [-75, 65]
        TV result = S.Mul(S.Mul(p, scale1), scale2);
        return S.Select(S.Equal(x, x), result, x);
    }
}

// Note [Fast sigmoid]: sigmoid(x) = 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0, with
// e = exp(-|x|) in (0, 1]. exp never overflows, so there is no inf/inf and no NaN for any finite
// or infinite x; for very negative x the result is e itself, down to the denormals.
// Error over all floats: max 2 ulp (0.005% of inputs, results just below a power of two, where
// e's error and the roundings of 1 + e and of the division add up). Recovering the division's
// remainder with FMAs brings it to 1 ulp but costs ~25% throughput, so we do not.

/// <summary>sigmoid(x) = 1 / (1 + exp(-x)) for float lanes (Note [Fast sigmoid]).</summary>
internal readonly struct SigmoidKernel : IFloatKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFast<S, TV>(TV x) where S : ISimdFloat<TV> where TV : struct => ExpKernel.IsFast<S, TV>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Fast<S, TV>(TV x) where S : ISimdFloat<TV> where TV : struct =>
        FromExp<S, TV>(x, ExpKernel.Fast<S, TV>(S.Or(x, S.Splat(-0f))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Any<S, TV>(TV x) where S : ISimdFloat<TV> where TV : struct =>
        FromExp<S, TV>(x, ExpKernel.Any<S, TV>(S.Or(x, S.Splat(-0f))));

    /// <summary>sigmoid(x) from e = exp(-|x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV FromExp<S, TV>(TV x, TV e) where S : ISimdFloat<TV> where TV : struct
    {
        TV one = S.Splat(1f);
        TV numerator = S.Select(S.GreaterThanOrEqual(x, S.Splat(0f)), one, e);
        return S.Div(numerator, S.Add(one, e));
    }
}

// Note [Fast tanh]: tanh is odd, so we compute it on a = |x| and copy x's sign bit (so -0 -> -0).
// - a < 0.625: tanh(a) = a + a^3 P(a^2), P of degree 4 fitted by us for minimax relative error
//   on [0, 0.625] (4e-9 relative). Tiny and denormal a give a exactly.
// - a >= 0.625: tanh(a) = 1 - 2 / (e + 1) with e = exp(2a) >= 3.49: the quotient is at most 0.45,
//   so the subtraction loses nothing and errors in e and e + 1 are damped (measured max 1 ulp; the
//   form (e - 1) / (e + 1) reaches 2 ulp once e > 2^24 makes e +- 1 inexact). a is first clamped to
//   9.5 (tanh(9.5) rounds to 1 in float, and exp(19) stays finite: exp's fast path always applies).
// Both branches are computed for every lane and selected. The fast path takes vectors without NaN
// (+-inf give +-1 there); Any returns NaN lanes unchanged. Error over all floats: max 1 ulp.

/// <summary>tanh(x) for float lanes (Note [Fast tanh]).</summary>
internal readonly struct TanhKernel : IFloatKernel
{
    private const float SmallLimit = 0.625f;
    private const float LargeLimit = 9.5f;
    private const float T3 = -0.33333281f;              // 0xBEAAAA99
    private const float T5 = 0.13331406f;               // 0x3E08837B
    private const float T7 = -0.053736515f;             // 0xBD5C1AD2
    private const float T9 = 0.020628167f;              // 0x3CA8FC67
    private const float T11 = -0.0056922962f;           // 0xBBBA8671

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFast<S, TV>(TV x) where S : ISimdFloat<TV> where TV : struct =>
        S.AllLessThan(S.AndNot(x, S.Splat(-0f)), S.Splat(float.PositiveInfinity));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Any<S, TV>(TV x) where S : ISimdFloat<TV> where TV : struct =>
        S.Select(S.Equal(x, x), Fast<S, TV>(x), x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Fast<S, TV>(TV x) where S : ISimdFloat<TV> where TV : struct
    {
        TV signBit = S.Splat(-0f);
        TV one = S.Splat(1f);
        TV a = S.AndNot(x, signBit);

        TV z = S.Mul(a, a);
        TV q = S.Fma(S.Splat(T11), z, S.Splat(T9));
        q = S.Fma(q, z, S.Splat(T7));
        q = S.Fma(q, z, S.Splat(T5));
        q = S.Fma(q, z, S.Splat(T3));
        TV small = S.Fma(S.Mul(a, z), q, a);

        TV ac = S.MinNative(a, S.Splat(LargeLimit));
        TV e = ExpKernel.Fast<S, TV>(S.Add(ac, ac));
        TV large = S.Sub(one, S.Div(S.Splat(2f), S.Add(e, one)));

        TV result = S.Select(S.LessThan(a, S.Splat(SmallLimit)), small, large);
        return S.Or(result, S.And(x, signBit));
    }
}
