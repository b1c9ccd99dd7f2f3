using System.Globalization;
using SharpGrad.Autograd;

namespace SharpGrad
{
    public static partial class Torch
    {
        public static partial class Autograd
        {
            /// <summary>
            /// Forward-mode automatic differentiation, <c>torch.autograd.forward_ad</c>: inside a
            /// <see cref="DualLevel"/> scope, <see cref="MakeDual"/> pairs a tensor with a tangent u, every op
            /// then carries <c>J u</c> along with its value, and <see cref="UnpackDual"/> reads it back.
            /// </summary>
            /// <remarks>
            /// <code>
            /// using (ForwardAD.DualLevel())
            /// {
            ///     var x = ForwardAD.MakeDual(primal, tangent);
            ///     var (y, jvp) = ForwardAD.UnpackDual(f(x));
            /// }
            /// </code>
            /// As in PyTorch 1.13 only one level exists at a time (its number is 0); levels are per thread,
            /// like grad mode. Tangents propagate whatever the grad mode, and coexist with gradients: a
            /// dual tensor may also require grad. Leaving the level deletes every tangent made in it.
            /// </remarks>
            public static class ForwardAD
            {
                /// <summary>
                /// Enters a dual level until the returned scope is disposed, <c>with fwAD.dual_level():</c>.
                /// Entering a second one before leaving the first is PyTorch's nested-level error.
                /// </summary>
                public static DualLevelScope DualLevel() => new();

                /// <summary>
                /// Enters a dual level and returns its number (always 0), <c>fwAD.enter_dual_level()</c>; prefer
                /// <see cref="DualLevel"/>.
                /// </summary>
                public static int EnterDualLevel()
                {
                    ForwardGrad.Enter();
                    return 0;
                }

                /// <summary>
                /// Leaves the current dual level, deleting its tangents, <c>fwAD.exit_dual_level(level=level)</c>.
                /// <paramref name="level"/> defaults to the current one and must be it.
                /// </summary>
                public static void ExitDualLevel(int? level = null)
                {
                    int current = ForwardGrad.Entered is null ? -1 : 0;
                    if ((level ?? current) != current)
                        throw new InvalidOperationException(
                            "Trying to exit a forward AD level that was not the last one that was created. This is not supported.");
                    ForwardGrad.Exit();
                }

                /// <summary>
                /// A new tensor aliasing <paramref name="tensor"/> with <paramref name="tangent"/> as its
                /// forward gradient, <c>fwAD.make_dual(tensor, tangent)</c>. The tangent is kept as is when its
                /// memory layout matches the primal's, else copied into that layout.
                /// </summary>
                /// <remarks>
                /// Backward-differentiable with respect to <paramref name="tensor"/> (node <c>ViewBackward0</c>).
                /// Both must be floating point and of the same shape, and <paramref name="tensor"/> must not
                /// already be dual at this level; PyTorch's errors otherwise (its ValueErrors are
                /// ArgumentExceptions here).
                /// </remarks>
                public static Tensor MakeDual(Tensor tensor, Tensor tangent)
                {
                    if (ForwardGrad.Entered is null)
                        throw new InvalidOperationException(
                            "Trying to create a dual Tensor for forward AD but no level exists, make sure to enter_dual_level() first.");
                    if (!tensor.DType.IsFloatingPoint())
                        throw new ArgumentException($"Expected primal to be floating point or complex, but got: {tensor.DType.TorchName()}");
                    if (!tangent.DType.IsFloatingPoint())
                        throw new ArgumentException($"Expected tangent to be floating point or complex, but got: {tangent.DType.TorchName()}");
                    using var resumed = ForwardGrad.Resume(); // also usable from a custom function's Jvp
                    if (tensor.Tangent is not null)
                        throw new InvalidOperationException(
                            "Making a dual Tensor based on a Tensor that already has a forward gradient at the same level 0 is not supported.");
                    if (!ShapeUtil.SameShape(tensor.Sizes, tangent.Sizes))
                        throw new InvalidOperationException(
                            "Trying to set a forward gradient that has a different size than that of the original Tensor, this is not supported. " +
                            $"Tensor is of size {ShapeUtil.Format(tensor.Sizes)} while the given forward gradient is of size {ShapeUtil.Format(tangent.Sizes)}.");
                    var dual = Alias(tensor, static t => new ViewBackward0(t.Sizes));
                    ForwardGrad.SetTangent(dual, ForwardGrad.Conform(tangent, dual));
                    return dual;
                }

                /// <summary>
                /// The primal value and the tangent of <paramref name="tensor"/> at the current level,
                /// <c>fwAD.unpack_dual(tensor)</c>. Without a level: the tensor itself and a null tangent.
                /// </summary>
                /// <remarks>
                /// The primal is a new alias without tangent (backward-differentiable, node <c>Identity</c>);
                /// the tangent is returned as is (null when the tensor is not dual).
                /// </remarks>
                public static UnpackedDualTensor UnpackDual(Tensor tensor)
                {
                    if (ForwardGrad.Entered is null) return new UnpackedDualTensor(tensor, null);
                    Tensor? tangent;
                    using (ForwardGrad.Resume()) tangent = tensor.Tangent;
                    return new UnpackedDualTensor(Alias(tensor, static _ => new Identity()), tangent);
                }

                /// <summary>
                /// A backward (not forward) view of <paramref name="tensor"/> with the same geometry, recorded
                /// with <paramref name="node"/> when grad is needed; it never takes a tangent from its base.
                /// </summary>
                private static Tensor Alias(Tensor tensor, Func<Tensor, Node> node)
                {
                    var alias = tensor.MakeView(tensor.Offset, tensor.Sizes, tensor.Strides);
                    alias.NoForwardView = true;
                    if (GradMode.IsEnabled && tensor.RequiresGrad)
                        using (ForwardGrad.Suspend()) SharpGrad.Autograd.Graph.Record(node(tensor), alias, tensor);
                    return alias;
                }
            }
        }
    }
}

namespace SharpGrad.Autograd
{
    /// <summary>
    /// A dual level entered by <see cref="Torch.Autograd.ForwardAD.DualLevel"/>, PyTorch's
    /// <c>fwAD.dual_level()</c>; disposing it leaves the level and deletes its tangents.
    /// </summary>
    public sealed class DualLevelScope : IDisposable
    {
        private bool _disposed;

        internal DualLevelScope() => ForwardGrad.Enter();

        /// <summary>The level's number, what <c>with fwAD.dual_level() as level</c> binds: always 0.</summary>
        public int Level => 0;

        /// <summary>Leaves the level; tangents made in it are no longer visible.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            ForwardGrad.Exit();
        }
    }

    /// <summary>
    /// The two parts of a dual tensor, <c>fwAD.UnpackedDualTensor</c>: deconstructs as
    /// <c>var (primal, tangent) = ForwardAD.UnpackDual(y);</c>.
    /// </summary>
    /// <param name="Primal">The value, an alias of the dual tensor without tangent.</param>
    /// <param name="Tangent">The forward gradient <c>J u</c>, or null when the tensor is not dual.</param>
    public readonly record struct UnpackedDualTensor(Tensor Primal, Tensor? Tangent)
    {
        /// <summary>PyTorch's repr: <c>UnpackedDualTensor(primal=tensor(...), tangent=None)</c>.</summary>
        public override string ToString() =>
            $"UnpackedDualTensor(primal={Primal}, tangent={(Tangent is null ? "None" : Tangent.ToString())})";
    }

    /// <summary>
    /// The backward node of <c>UnpackDual</c>'s primal: the gradient passes through unchanged. PyTorch's
    /// <c>torch::autograd::Identity</c>, printed as <c>grad_fn=&lt;Identity&gt;</c>.
    /// </summary>
    internal sealed class Identity : SingleOutputNode
    {
        public override string Name => "Identity";
        protected override Tensor?[] Backward(Tensor grad) => [grad];
    }

    /// <summary>The <c>tangent=</c> suffix of a dual tensor's repr (Note [Tensor printing]).</summary>
    internal static class TangentPrinting
    {
        /// <summary>
        /// PyTorch formats the tangent with <c>'{}'.format(tangent)</c>: the tensor's repr, or for a 0-dim
        /// tangent Python's <c>repr(float)</c> of its value (<c>tangent=6.0</c>).
        /// </summary>
        public static string? Suffix(Tensor tensor)
        {
            if (!ForwardGrad.AnyLevel || tensor.Tangent is not { } tangent) return null;
            return "tangent=" + (tangent.Dim == 0 ? PythonRepr(tangent.Item<double>()) : tangent.ToString());
        }

        /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, fixed for exponents -4..15, else <c>1e-05</c>.</summary>
        internal static string PythonRepr(double value)
        {
            if (double.IsNaN(value)) return "nan";
            if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
            // Shortest round-trip digits: .NET's "R" gives them, in either notation.
            string shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
            string mantissa = shortest, exponentText = "0";
            int e = shortest.IndexOfAny(['E', 'e']);
            if (e >= 0) (mantissa, exponentText) = (shortest[..e], shortest[(e + 1)..]);
            int point = mantissa.IndexOf('.');
            string digits = (point < 0 ? mantissa : mantissa.Remove(point, 1));
            int decpt = (point < 0 ? mantissa.Length : point) + int.Parse(exponentText, CultureInfo.InvariantCulture);
            int lead = 0;
            while (lead < digits.Length - 1 && digits[lead] == '0') { lead++; decpt--; }
            digits = digits[lead..].TrimEnd('0');
            if (digits.Length == 0) { digits = "0"; decpt = 1; }
            string sign = double.IsNegative(value) ? "-" : "";
            if (decpt > -4 && decpt <= 16)
            {
                string text = decpt <= 0 ? "0." + new string('0', -decpt) + digits
                    : digits.Length <= decpt ? digits + new string('0', decpt - digits.Length) + ".0"
                    : digits[..decpt] + "." + digits[decpt..];
                return sign + text;
            }
            string m = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            int exp = decpt - 1;
            return sign + m + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }
    }
}
