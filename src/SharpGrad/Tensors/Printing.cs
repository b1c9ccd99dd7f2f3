using System.Globalization;
using System.Text;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>repr(tensor)</c> / <c>print(tensor)</c> of PyTorch 1.13, character for character, such as
    /// <c>tensor([[1., 2.], [3., 4.]], requires_grad=True)</c> laid out over lines.
    /// </summary>
    /// <remarks>
    /// Note [Tensor printing] follows <c>torch/_tensor_str.py</c>: one element formatter for the
    /// whole tensor (same width, same mode: integer-valued <c>1.</c>, fixed <c>1.2500</c> or
    /// scientific <c>1.2500e+03</c>), rows wrapped at the line width, summarised with <c>...</c>
    /// above the threshold, then the suffixes <c>dtype=</c>, <c>size=</c> (empty tensors),
    /// <c>grad_fn=</c> or <c>requires_grad=True</c>, <c>tangent=</c> for dual tensors. Options come from <see cref="Torch.SetPrintOptions"/>.
    /// </remarks>
    public override string ToString() => TensorPrinter.Repr(this, PrintOptions.Current);
}

public static partial class Torch
{
    /// <summary>
    /// Sets the options tensor printing uses, <c>torch.set_printoptions</c>: digits after the point
    /// (4), element count above which tensors are summarised (1000), items shown at each end of a
    /// summarised dimension (3), characters per line (80), and forced scientific notation (null:
    /// automatic).
    /// </summary>
    /// <remarks>
    /// <paramref name="profile"/> is <c>"default"</c>, <c>"short"</c> (precision 2, edge items 2) or
    /// <c>"full"</c> (no summarisation), applied before the other arguments. As in PyTorch,
    /// <paramref name="sciMode"/> is always assigned, so omitting it goes back to automatic. The
    /// options are process-wide, like PyTorch's.
    /// </remarks>
    public static void SetPrintOptions(int? precision = null, double? threshold = null, int? edgeItems = null,
        int? lineWidth = null, string? profile = null, bool? sciMode = null)
    {
        var o = PrintOptions.Current;
        if (profile is not null)
        {
            o = profile switch
            {
                "default" => o with { Precision = 4, Threshold = 1000, EdgeItems = 3, LineWidth = 80 },
                "short" => o with { Precision = 2, Threshold = 1000, EdgeItems = 2, LineWidth = 80 },
                "full" => o with { Precision = 4, Threshold = double.PositiveInfinity, EdgeItems = 3, LineWidth = 80 },
                _ => o,
            };
        }
        o = o with
        {
            Precision = precision ?? o.Precision,
            Threshold = threshold ?? o.Threshold,
            EdgeItems = edgeItems ?? o.EdgeItems,
            LineWidth = lineWidth ?? o.LineWidth,
            SciMode = sciMode,
        };
        PrintOptions.Current = o;
    }
}

/// <summary>The options of <see cref="Torch.SetPrintOptions"/>; replaced whole so a print sees one consistent set.</summary>
internal sealed record PrintOptions(int Precision, double Threshold, int EdgeItems, int LineWidth, bool? SciMode)
{
    public static readonly PrintOptions Default = new(4, 1000, 3, 80, null);

    private static volatile PrintOptions s_current = Default;

    public static PrintOptions Current
    {
        get => s_current;
        set => s_current = value;
    }
}

/// <summary>Lays a tensor out as PyTorch's repr (Note [Tensor printing]).</summary>
internal static class TensorPrinter
{
    private const string Prefix = "tensor(";

    public static string Repr(Tensor tensor, PrintOptions options)
    {
        int indent = Prefix.Length;
        var suffixes = new List<string>();
        string body;
        if (tensor.Numel == 0)
        {
            // An empty tensor shows its shape unless it is (0,), and any dtype but the default,
            // since no element can hint at it.
            if (tensor.Dim != 1) suffixes.Add("size=" + PythonTuple(tensor.Sizes));
            if (tensor.DType != DType.Float32) suffixes.Add("dtype=" + tensor.DType.TorchName());
            body = "[]";
        }
        else
        {
            if (tensor.DType is not (DType.Float32 or DType.Int64 or DType.Bool))
                suffixes.Add("dtype=" + tensor.DType.TorchName());
            body = new Layout(tensor, options).Render(indent);
        }
        if (tensor.GradFn is { } fn) suffixes.Add($"grad_fn=<{fn.Name}>");
        else if (tensor.RequiresGrad) suffixes.Add("requires_grad=True");
        if (Autograd.TangentPrinting.Suffix(tensor) is { } tangent) suffixes.Add(tangent);
        return AddSuffixes(Prefix + body, suffixes, indent, options.LineWidth);
    }

    /// <summary>Appends ", suffix" or, when the line would pass the width, ",\n" + indent + suffix.</summary>
    private static string AddSuffixes(string text, List<string> suffixes, int indent, int lineWidth)
    {
        var sb = new StringBuilder(text);
        // PyTorch measures the last line as len - rfind('\n') + 1: two more than its length.
        int lastLineLength = text.Length - text.LastIndexOf('\n') + 1;
        foreach (string suffix in suffixes)
        {
            if (lastLineLength + suffix.Length + 2 > lineWidth)
            {
                sb.Append(",\n").Append(' ', indent).Append(suffix);
                lastLineLength = indent + suffix.Length;
            }
            else
            {
                sb.Append(", ").Append(suffix);
                lastLineLength += suffix.Length + 2;
            }
        }
        return sb.Append(')').ToString();
    }

    /// <summary>Python's str(tuple): <c>(0, 3)</c>, <c>(0,)</c>.</summary>
    private static string PythonTuple(int[] sizes) =>
        sizes.Length == 1 ? $"({sizes[0]},)" : "(" + string.Join(", ", sizes) + ")";

    /// <summary>The nested-bracket body of a non-empty tensor.</summary>
    private sealed class Layout
    {
        private readonly int[] _sizes;
        private readonly int[] _strides;
        private readonly PrintOptions _options;
        private readonly bool _summarize;
        private readonly ElementFormatter _formatter;

        public Layout(Tensor tensor, PrintOptions options)
        {
            _sizes = tensor.Sizes;
            _strides = ShapeUtil.ContiguousStrides(_sizes);
            _options = options;
            _summarize = tensor.Numel > options.Threshold;
            var values = ElementValues.Read(tensor);
            // The formatter sees only the elements that will be shown (get_summarized_data).
            var shown = _summarize ? ShownIndices() : Enumerable.Range(0, tensor.Numel);
            _formatter = new ElementFormatter(values, shown, options);
        }

        public string Render(int indent) => Render(0, 0, indent);

        private string Render(int dim, int offset, int indent)
        {
            int rank = _sizes.Length;
            if (rank == 0) return _formatter.Format(0);
            if (dim == rank - 1) return Vector(offset, indent);
            var slices = new List<string>();
            foreach (int i in Rows(dim, lastDim: false))
                slices.Add(i < 0 ? "..." : Render(dim + 1, offset + i * _strides[dim], indent + 1));
            string separator = "," + new string('\n', rank - dim - 1) + new string(' ', indent + 1);
            return "[" + string.Join(separator, slices) + "]";
        }

        private string Vector(int offset, int indent)
        {
            int elementLength = _formatter.Width + 2;
            int perLine = Math.Max(1, (int)Math.Floor((double)(_options.LineWidth - indent) / elementLength));
            var data = new List<string>();
            foreach (int i in Rows(_sizes.Length - 1, lastDim: true))
                data.Add(i < 0 ? " ..." : _formatter.Format(offset + i));
            var lines = new List<string>();
            for (int start = 0; start < data.Count; start += perLine)
                lines.Add(string.Join(", ", data.Skip(start).Take(perLine)));
            return "[" + string.Join(",\n" + new string(' ', indent + 1), lines) + "]";
        }

        /// <summary>
        /// The indices shown along one dimension, -1 standing for the ellipsis. A summarised
        /// dimension shows its first and last edge items; for the last dimension the tail is
        /// Python's <c>self[-edgeitems:]</c>, which is everything when edgeitems is 0.
        /// </summary>
        private IEnumerable<int> Rows(int dim, bool lastDim)
        {
            int size = _sizes[dim], edge = _options.EdgeItems;
            if (!(_summarize && size > 2 * edge))
            {
                for (int i = 0; i < size; i++) yield return i;
                yield break;
            }
            for (int i = 0; i < edge; i++) yield return i;
            yield return -1;
            int tailStart = lastDim && edge == 0 ? 0 : size - edge;
            for (int i = tailStart; i < size; i++) yield return i;
        }

        /// <summary>Flat indices of the elements a summarised print shows.</summary>
        private IEnumerable<int> ShownIndices()
        {
            IEnumerable<int> offsets = [0];
            for (int d = 0; d < _sizes.Length; d++)
            {
                int stride = _strides[d];
                var rows = Rows(d, lastDim: d == _sizes.Length - 1).Where(i => i >= 0).ToArray();
                offsets = offsets.SelectMany(o => rows.Select(i => o + i * stride)).ToArray();
            }
            return offsets;
        }
    }

    /// <summary>The elements in row-major order: doubles for floating dtypes, longs for integers, bools.</summary>
    private sealed class ElementValues
    {
        public double[]? Floats;
        public long[]? Integers;
        public bool[]? Bools;

        public static ElementValues Read(Tensor t) => t.DType switch
        {
            DType.Float32 => new() { Floats = Array.ConvertAll(t.ContiguousData<float>(), v => (double)v) },
            DType.Float64 => new() { Floats = t.ContiguousData<double>() },
            DType.Int64 => new() { Integers = t.ContiguousData<long>() },
            DType.Int32 => new() { Integers = Array.ConvertAll(t.ContiguousData<int>(), v => (long)v) },
            _ => new() { Bools = t.ContiguousData<bool>() },
        };
    }

    /// <summary>
    /// PyTorch's <c>_Formatter</c>: picks one mode and one width for all shown elements. Floating
    /// tensors look at their nonzero finite values: all integers give <c>1.</c> style, unless
    /// max/min &gt; 1000 or max &gt; 1e8 which gives scientific; otherwise fixed with the precision,
    /// or scientific when max/min &gt; 1000, max &gt; 1e8 or min &lt; 1e-4.
    /// </summary>
    private sealed class ElementFormatter
    {
        private readonly ElementValues _values;
        private readonly int _precision;
        private readonly bool _intMode = true;
        private readonly bool _sciMode;

        public int Width { get; } = 1;

        public ElementFormatter(ElementValues values, IEnumerable<int> shown, PrintOptions options)
        {
            _values = values;
            _precision = options.Precision;
            if (values.Floats is not { } floats)
            {
                foreach (int i in shown) Width = Math.Max(Width, Plain(i).Length);
                return;
            }
            var finite = shown.Select(i => floats[i]).Where(v => double.IsFinite(v) && v != 0).ToArray();
            // No nonzero finite value: integer mode, width 1, and the sci_mode option is not consulted.
            if (finite.Length == 0) return;
            double min = finite.Min(Math.Abs), max = finite.Max(Math.Abs);
            _intMode = finite.All(v => v == Math.Ceiling(v));
            bool wide = max / min > 1000.0 || max > 1.0e8;
            if (_intMode)
            {
                _sciMode = wide;
                Width = _sciMode
                    ? finite.Max(v => PyFloatFormat.Scientific(v, _precision).Length)
                    : finite.Max(v => PyFloatFormat.Fixed(v, 0).Length + 1);
            }
            else
            {
                _sciMode = wide || min < 1.0e-4;
                Width = finite.Max(v => (_sciMode
                    ? PyFloatFormat.Scientific(v, _precision)
                    : PyFloatFormat.Fixed(v, _precision)).Length);
            }
            if (options.SciMode is { } forced) _sciMode = forced;
        }

        /// <summary>The element at a flat index, padded on the left to <see cref="Width"/>.</summary>
        public string Format(int index)
        {
            string text;
            if (_values.Floats is { } floats)
            {
                double v = floats[index];
                if (_sciMode) text = PyFloatFormat.Scientific(v, _precision);
                else if (_intMode) text = PyFloatFormat.Fixed(v, 0) + (double.IsFinite(v) ? "." : "");
                else text = PyFloatFormat.Fixed(v, _precision);
            }
            else text = Plain(index);
            return text.PadLeft(Width);
        }

        /// <summary>Python's str() of an integer or bool element.</summary>
        private string Plain(int index) => _values.Integers is { } ints
            ? ints[index].ToString(CultureInfo.InvariantCulture)
            : _values.Bools![index] ? "True" : "False";
    }
}
