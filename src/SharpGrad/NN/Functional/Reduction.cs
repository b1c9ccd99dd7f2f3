namespace SharpGrad;

public static partial class Torch
{
    public static partial class NN
    {
        public static partial class Functional
        {
            private static readonly HashSet<string> s_warned = [];

            /// <summary>Sends a UserWarning of torch.nn.functional to <see cref="WarningSink"/>, once per message, as Python's default filter does.</summary>
            internal static void WarnOnce(string message)
            {
                bool first;
                lock (s_warned) first = s_warned.Add(message);
                if (first) WarningSink(message);
            }

            /// <summary>Lets every torch.nn.functional warning fire again (for tests).</summary>
            internal static void ResetWarnings()
            {
                lock (s_warned) s_warned.Clear();
            }

            /// <summary>How a loss reduces its per-element values: PyTorch's <c>reduction</c> argument.</summary>
            internal enum Reduction { None, Mean, Sum }

            /// <summary>
            /// Parses <c>"none" | "mean" | "sum"</c> with PyTorch's error text (<c>_Reduction.get_enum</c>).
            /// </summary>
            internal static Reduction ParseReduction(string? reduction) => reduction switch
            {
                "none" => Reduction.None,
                "mean" => Reduction.Mean,
                "sum" => Reduction.Sum,
                _ => throw new ArgumentException($"{reduction ?? "None"} is not a valid value for reduction"),
            };

            /// <summary>A fresh zeroed contiguous tensor (<c>Tensor</c> alone names the factory method inside <c>Torch</c>).</summary>
            internal static Tensor Alloc(DType dtype, int[] sizes) => global::SharpGrad.Tensor.Allocate(dtype, sizes);

            /// <summary>PyTorch's <c>torch.Size([2, 3])</c> repr, used in Python-level error texts.</summary>
            internal static string TorchSize(int[] sizes) => $"torch.Size({ShapeUtil.Format(sizes)})";

            /// <summary>A C++ stream's default rendering of a double (6 significant digits), as in ATen's messages.</summary>
            internal static string CppDouble(double value) =>
                value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture).Replace("E", "e");

            /// <summary>
            /// PyTorch's check that a non-differentiable argument does not require grad while the op is
            /// recorded (autograd's <c>check_no_requires_grad</c>).
            /// </summary>
            internal static void CheckNoRequiresGrad(Tensor? t, string argument, string function)
            {
                if (t is not null && t.RequiresGrad && global::SharpGrad.Autograd.GradMode.IsEnabled)
                    throw new InvalidOperationException(
                        $"The function '{function}' is not differentiable with respect to argument '{argument}'. This input cannot have requires_grad True.");
            }
        }
    }
}
