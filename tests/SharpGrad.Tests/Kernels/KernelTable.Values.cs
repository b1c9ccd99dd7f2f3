using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// Note [Kernel test inputs]: every pool mixes ordinary values drawn from the row's domain (uniform)
/// and from a wide log-uniform range with the special values: NaN, ±Inf, ±0, MaxValue, MinValue,
/// ±Epsilon (the smallest subnormal), the smallest normal, ±1 and halves (for round-half-even). Span
/// data places specials sparsely (about one element in 29, at positions that move with the length)
/// so most SIMD vectors run the fast path while every lane position still meets a special; a
/// separate dense block runs every special (and, for binary ops, every pair of specials).
/// </summary>
internal static class Values
{
    public static T[] FloatSpecials<T>() where T : IFloatingPointIeee754<T>, IMinMaxValue<T> =>
    [
        T.NaN, T.PositiveInfinity, T.NegativeInfinity, T.NegativeZero, T.Zero, T.MaxValue, T.MinValue,
        T.Epsilon, -T.Epsilon, SmallestNormal<T>(), T.One, -T.One, T.CreateTruncating(0.5), T.CreateTruncating(-2.5),
    ];

    public static T[] IntegerSpecials<T>() where T : IBinaryInteger<T>, IMinMaxValue<T> =>
        [T.Zero, T.One, -T.One, T.MaxValue, T.MinValue, T.MinValue + T.One, T.MaxValue - T.One, T.CreateTruncating(2)];

    private static T SmallestNormal<T>() where T : IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(BitConverter.Int32BitsToSingle(0x00800000)) : T.CreateTruncating(BitConverter.Int64BitsToDouble(0x0010000000000000));

    /// <summary>Ordinary values: uniform in [lo, hi) and signed log-uniform magnitudes in [1e-8, 1e8].</summary>
    public static T[] FloatOrdinary<T>(double lo, double hi, int seed) where T : IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[83];
        for (int i = 0; i < values.Length; i++)
        {
            double v = i % 3 != 2
                ? lo + (hi - lo) * random.NextDouble()
                : (random.Next(2) == 0 ? -1 : 1) * Math.Pow(10, -8 + 16 * random.NextDouble());
            values[i] = T.CreateTruncating(v);
        }
        return values;
    }

    /// <summary>Ordinary values uniform in [lo, hi) only (for inputs whose magnitude must stay bounded).</summary>
    public static T[] Uniform<T>(double lo, double hi, int seed) where T : IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 83).Select(_ => T.CreateTruncating(lo + (hi - lo) * random.NextDouble())).ToArray();
    }

    /// <summary>Ordinary integers: small ones (most interesting for powers), and full-range ones.</summary>
    public static T[] IntegerOrdinary<T>(int seed) where T : IBinaryInteger<T>, IMinMaxValue<T>
    {
        var random = new Random(seed);
        var values = new T[83];
        for (int i = 0; i < values.Length; i++)
            values[i] = i % 3 != 2 ? T.CreateTruncating(random.Next(-100, 101)) : T.CreateTruncating(random.NextInt64(long.MinValue, long.MaxValue));
        return values;
    }

    /// <summary>Element <paramref name="i"/> of a span of the given length and offset (Note [Kernel test inputs]).</summary>
    public static T Pick<T>(Pool<T> pool, int i, int length, int salt)
    {
        if (pool.Specials.Length > 0 && (i * 13 + length + salt) % 29 == 0)
            return pool.Specials[(i + length + salt) % pool.Specials.Length];
        return pool.Ordinary[(i * 37 + length * 7 + salt * 11) % pool.Ordinary.Length];
    }

    public static T[] Fill<T>(Pool<T> pool, int count, int salt)
    {
        var data = new T[count];
        for (int i = 0; i < count; i++) data[i] = Pick(pool, i, count, salt);
        return data;
    }

    public static Pool<T> Float<T>(double lo, double hi, int seed = 1) where T : IFloatingPointIeee754<T>, IMinMaxValue<T> =>
        new(FloatOrdinary<T>(lo, hi, seed), FloatSpecials<T>());

    public static Pool<T> Integer<T>(int seed = 1) where T : IBinaryInteger<T>, IMinMaxValue<T> =>
        new(IntegerOrdinary<T>(seed), IntegerSpecials<T>());

    public static Pool<bool> Bool(int seed = 1)
    {
        var random = new Random(seed);
        var values = new bool[83];
        for (int i = 0; i < values.Length; i++) values[i] = random.Next(2) == 1;
        return new(values, [true, false]);
    }

    /// <summary>Formats a value so that -0, NaN and the last bit are visible.</summary>
    public static string Show<T>(T value) => value switch
    {
        float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
    };
}

/// <summary>Input values for one dtype: ordinary values and special values (Note [Kernel test inputs]).</summary>
internal sealed record Pool<T>(T[] Ordinary, T[] Specials);

/// <summary>
/// Note [Ulp distance]: the distance between two floats is the number of representable values
/// between them (bits mapped to a monotonic integer line, so +0 and -0 are the same point and the
/// largest finite value is one ulp from infinity). NaN matches any NaN and nothing else. When a row
/// checks the sign of zero, a zero of the wrong sign is a mismatch. Integers and bools are exact.
/// </summary>
internal static class Ulp
{
    /// <summary>The distance, or long.MaxValue for a NaN or sign-of-zero mismatch.</summary>
    public static long Distance<T>(T got, T want, bool signedZero)
    {
        if (typeof(T) == typeof(float))
        {
            float g = Unsafe.As<T, float>(ref got), w = Unsafe.As<T, float>(ref want);
            if (float.IsNaN(w) || float.IsNaN(g)) return float.IsNaN(w) && float.IsNaN(g) ? 0 : long.MaxValue;
            if (signedZero && g == 0 && w == 0 && float.IsNegative(g) != float.IsNegative(w)) return long.MaxValue;
            return Math.Abs(Line(BitConverter.SingleToInt32Bits(g)) - Line(BitConverter.SingleToInt32Bits(w)));
        }
        if (typeof(T) == typeof(double))
        {
            double g = Unsafe.As<T, double>(ref got), w = Unsafe.As<T, double>(ref want);
            if (double.IsNaN(w) || double.IsNaN(g)) return double.IsNaN(w) && double.IsNaN(g) ? 0 : long.MaxValue;
            if (signedZero && g == 0 && w == 0 && double.IsNegative(g) != double.IsNegative(w)) return long.MaxValue;
            Int128 d = Line(BitConverter.DoubleToInt64Bits(g)) - Line(BitConverter.DoubleToInt64Bits(w));
            return d < 0 ? (long)Int128.Min(-d, long.MaxValue - 1) : (long)Int128.Min(d, long.MaxValue - 1);
        }
        return EqualityComparer<T>.Default.Equals(got, want) ? 0 : long.MaxValue;
    }

    private static long Line(int bits) => bits < 0 ? int.MinValue - (long)bits : bits;

    private static Int128 Line(long bits) => bits < 0 ? (Int128)long.MinValue - bits : bits;

    /// <summary>True when both arrays hold the same bits (NaN payloads and zero signs included).</summary>
    public static bool SameBits<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged =>
        MemoryMarshal.AsBytes(a).SequenceEqual(MemoryMarshal.AsBytes(b));

    /// <summary>The machine epsilon (unit roundoff times 2) of a float type, 0 for integers.</summary>
    public static double Eps<T>() => typeof(T) == typeof(float) ? 1.0 / (1 << 23) : typeof(T) == typeof(double) ? Math.Pow(2, -52) : 0;
}

/// <summary>
/// Collects the mismatches of one row: the first few in full, a count, and the largest distance
/// seen per kind of check (so a failing row reports how far off it is, which is how the documented
/// tolerances were chosen).
/// </summary>
internal sealed class Tracker(string row)
{
    private readonly List<string> _failures = [];
    private readonly Dictionary<(Type, string), long> _worst = [];
    private int _count;

    /// <summary>Where the next checks run (dtype, mode, length, offsets): set by the harness.</summary>
    public string Where = "";

    public void Ulps<T, TIn>(T got, T want, long tolerance, bool signedZero, string what, TIn x, int index)
    {
        long d = Ulp.Distance(got, want, signedZero);
        if (d == 0) return;
        Record(typeof(T), what, d);
        if (d <= tolerance) return;
        Fail($"{what}: {Where} i={index} x={Values.Show(x)} got {Values.Show(got)} want {Values.Show(want)} ({(d == long.MaxValue ? "NaN/sign" : d + " ulps")} > {tolerance})");
    }

    public void Ulps<T, TIn>(T got, T want, long tolerance, bool signedZero, string what, TIn a, TIn b, int index)
    {
        long d = Ulp.Distance(got, want, signedZero);
        if (d == 0) return;
        Record(typeof(T), what, d);
        if (d <= tolerance) return;
        Fail($"{what}: {Where} i={index} a={Values.Show(a)} b={Values.Show(b)} got {Values.Show(got)} want {Values.Show(want)} ({(d == long.MaxValue ? "NaN/sign" : d + " ulps")} > {tolerance})");
    }

    private void Record(Type type, string what, long distance)
    {
        if (!_worst.TryGetValue((type, what), out long worst) || distance > worst) _worst[(type, what)] = distance;
    }

    /// <summary>Checks |got - want| &lt;= bound for a value with an error bound rather than an ulp tolerance (NaN and ±inf must match exactly).</summary>
    public void Within<T>(T got, double want, double bound, string what, int index) where T : INumber<T>
    {
        double g = double.CreateTruncating(got);
        bool ok = double.IsNaN(want) ? double.IsNaN(g)
            : double.IsInfinity(want) || double.IsInfinity(g) ? g == want
            : Math.Abs(g - want) <= bound;
        if (!ok) Fail($"{what}: {Where} i={index} got {Values.Show(got)} want {Values.Show(want)} (bound {bound:G3})");
    }

    public void True(bool condition, string message)
    {
        if (!condition) Fail($"{message}: {Where}");
    }

    public void Fail(string message)
    {
        _count++;
        if (_failures.Count < 12) _failures.Add(message);
    }

    public void Assert()
    {
        if (_count == 0) return;
        var worst = string.Join(", ", _worst.Select(kv => $"{kv.Key.Item1.Name} {kv.Key.Item2}: {(kv.Value == long.MaxValue ? "NaN/sign" : kv.Value.ToString(CultureInfo.InvariantCulture))}"));
        Xunit.Assert.Fail($"{row}: {_count} mismatches; worst distances [{worst}]\n" + string.Join("\n", _failures));
    }
}
