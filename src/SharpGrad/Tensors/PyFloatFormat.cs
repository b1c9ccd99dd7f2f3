using System.Globalization;
using System.Numerics;
using System.Text;

namespace SharpGrad;

/// <summary>
/// Note [Python float formatting]: PyTorch formats every element with Python's <c>'{:.4f}'</c> and
/// <c>'{:.4e}'</c> on the value converted to a double. Python rounds the exact binary value of the
/// double correctly, ties to even (<c>'{:.4f}'.format(0.03125)</c> is <c>0.0312</c>), prints the
/// sign of negative zero and of negatives that round to zero (<c>-0.0000</c>), never switches
/// <c>f</c> to exponent notation however large the value, and writes <c>nan</c>, <c>inf</c>,
/// <c>-inf</c>. .NET's "F"/"E" formats differ in the tie rule and the exponent digits, so this class
/// does the decimal conversion itself with exact integer arithmetic: a finite double is
/// <c>m * 2^e</c>, scaled by a power of ten it becomes a ratio of two integers, and the integer
/// quotient rounded half to even gives exactly the digits Python prints.
/// </summary>
internal static class PyFloatFormat
{
    /// <summary>Python's <c>'{:.{precision}f}'.format(value)</c>.</summary>
    public static string Fixed(double value, int precision)
    {
        if (!double.IsFinite(value)) return NonFinite(value);
        var (mantissa, exponent) = Decompose(value);
        // digits = round(|value| * 10^precision) as an integer.
        BigInteger digits = RoundedRatio(mantissa, exponent, precision);
        string text = digits.ToString(CultureInfo.InvariantCulture);
        if (precision > 0)
        {
            text = text.PadLeft(precision + 1, '0');
            text = text[..^precision] + "." + text[^precision..];
        }
        return double.IsNegative(value) ? "-" + text : text;
    }

    /// <summary>Python's <c>'{:.{precision}e}'.format(value)</c>, such as <c>2.0480e+02</c>.</summary>
    public static string Scientific(double value, int precision)
    {
        if (!double.IsFinite(value)) return NonFinite(value);
        int decimalExponent = 0;
        BigInteger digits = BigInteger.Zero;
        if (value != 0)
        {
            var (mantissa, exponent) = Decompose(value);
            // Find E with 10^E <= |value| < 10^(E+1): estimate with log10, then correct exactly.
            decimalExponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
            BigInteger low = BigInteger.Pow(10, precision), high = low * 10;
            while (true)
            {
                BigInteger floor = FloorRatio(mantissa, exponent, precision - decimalExponent);
                if (floor < low) decimalExponent--;
                else if (floor >= high) decimalExponent++;
                else break;
            }
            digits = RoundedRatio(mantissa, exponent, precision - decimalExponent);
            if (digits == high)
            {
                // Rounding carried into a new digit (9.99995 -> 10.0000): renormalise.
                digits = low;
                decimalExponent++;
            }
        }
        string text = digits.ToString(CultureInfo.InvariantCulture).PadLeft(precision + 1, '0');
        var sb = new StringBuilder();
        if (double.IsNegative(value)) sb.Append('-');
        sb.Append(text[0]);
        if (precision > 0) sb.Append('.').Append(text, 1, precision);
        sb.Append('e').Append(decimalExponent < 0 ? '-' : '+');
        sb.Append(Math.Abs(decimalExponent).ToString("00", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static string NonFinite(double value) =>
        double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";

    /// <summary>|value| = mantissa * 2^exponent exactly.</summary>
    private static (BigInteger Mantissa, int Exponent) Decompose(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xFFFFFFFFFFFFFL;
        return biased == 0
            ? (fraction, -1074)
            : (fraction | (1L << 52), biased - 1075);
    }

    /// <summary>The ratio mantissa * 2^exponent * 10^scale as numerator / denominator.</summary>
    private static (BigInteger Numerator, BigInteger Denominator) Ratio(BigInteger mantissa, int exponent, int scale)
    {
        BigInteger numerator = mantissa, denominator = BigInteger.One;
        if (exponent >= 0) numerator <<= exponent;
        else denominator <<= -exponent;
        if (scale >= 0) numerator *= BigInteger.Pow(10, scale);
        else denominator *= BigInteger.Pow(10, -scale);
        return (numerator, denominator);
    }

    private static BigInteger FloorRatio(BigInteger mantissa, int exponent, int scale)
    {
        var (n, d) = Ratio(mantissa, exponent, scale);
        return BigInteger.Divide(n, d);
    }

    /// <summary>mantissa * 2^exponent * 10^scale rounded to an integer, ties to even.</summary>
    private static BigInteger RoundedRatio(BigInteger mantissa, int exponent, int scale)
    {
        var (n, d) = Ratio(mantissa, exponent, scale);
        BigInteger quotient = BigInteger.DivRem(n, d, out BigInteger remainder);
        int half = (remainder * 2).CompareTo(d);
        if (half > 0 || (half == 0 && !quotient.IsEven)) quotient += 1;
        return quotient;
    }
}
