using SharpGrad.Autograd;
using SharpGrad.Kernels;
using TensorT = SharpGrad.Tensor;

namespace SharpGrad;

public static partial class Torch
{
    public static partial class NN
    {
        public static partial class Functional
        {
            // Note [Functional helper ops]: the composite losses record the same graph PyTorch's C++
            // composites record (MulBackward1 for tensor * C++ scalar, AddBackward1, DivBackward1, IndexPutBackward0,
            // MaskedSelectBackward0). The core has no such ops yet, so these minimal private versions live
            // here, nested so they cannot collide with later public ones; each backward is a Tensor op.

            /// <summary><c>out = x * s</c> for a C++ scalar: node <c>MulBackward1</c>.</summary>
            internal static TensorT MulScalar(TensorT x, double s)
            {
                var wrapped = TensorT.Wrap(s);
                var result = Dispatch.BinaryNumber<MulOp>(x, wrapped, TypePromotion.ResultType(x, wrapped));
                if (Graph.NeedsGrad(x)) Graph.Record(new MulBackward1(s), result, x);
                return result;
            }

            /// <summary><c>out = x + s</c> for a C++ scalar: node <c>AddBackward1</c>.</summary>
            internal static TensorT AddScalar(TensorT x, double s)
            {
                var wrapped = TensorT.Wrap(s);
                var result = Dispatch.BinaryNumber<AddOp>(x, wrapped, TypePromotion.ResultType(x, wrapped));
                if (Graph.NeedsGrad(x)) Graph.Record(new AddBackward1(), result, x);
                return result;
            }

            /// <summary><c>out = x / s</c> for an integer C++ scalar: node <c>DivBackward1</c>.</summary>
            internal static TensorT DivScalar(TensorT x, long s)
            {
                var wrapped = TensorT.Wrap(s);
                var dtype = TypePromotion.ResultType(x, wrapped);
                var result = Dispatch.BinaryFloat<DivOp>(x, wrapped, dtype.IsFloatingPoint() ? dtype : DType.Float32);
                if (Graph.NeedsGrad(x)) Graph.Record(new DivBackward1(s), result, x);
                return result;
            }

            /// <summary><c>out = x</c> with zeros where <paramref name="mask"/> is set (<c>x[mask] = 0</c>): node <c>IndexPutBackward0</c>.</summary>
            internal static TensorT ZeroWhere(TensorT x, bool[] mask)
            {
                var result = Alloc(x.DType, x.Sizes);
                Elementwise.Copy(x, result);
                var keep = Alloc(x.DType, x.Sizes);
                for (int i = 0; i < mask.Length; i++)
                {
                    if (mask[i]) SetFlat(result, i, 0);
                    else SetFlat(keep, i, 1);
                }
                if (Graph.NeedsGrad(x)) Graph.Record(new IndexPutBackward0(keep), result, x);
                return result;
            }

            /// <summary>The elements of <paramref name="x"/> where <paramref name="mask"/> is set, as a 1-D tensor: node <c>MaskedSelectBackward0</c>.</summary>
            internal static TensorT MaskedSelect(TensorT x, bool[] mask)
            {
                var dense = x.Contiguous().Detach();
                int count = mask.Count(m => m);
                var result = Alloc(x.DType, [count]);
                for (int i = 0, j = 0; i < mask.Length; i++)
                    if (mask[i]) SetFlat(result, j++, dense.GetDouble(i));
                if (Graph.NeedsGrad(x)) Graph.Record(new MaskedSelectBackward0(mask, x.Shape), result, x);
                return result;
            }

            /// <summary>Zeros of <paramref name="shape"/> with <paramref name="source"/> written where <paramref name="mask"/> is set: node <c>MaskedScatterBackward0</c>.</summary>
            internal static TensorT MaskedScatter(TensorT source, bool[] mask, int[] shape)
            {
                var result = Alloc(source.DType, shape);
                var dense = source.Contiguous().Detach();
                for (int i = 0, j = 0; i < mask.Length; i++)
                    if (mask[i]) SetFlat(result, i, dense.GetDouble(j++));
                if (Graph.NeedsGrad(source)) Graph.Record(new MaskedScatterBackward0(mask), result, source);
                return result;
            }

            /// <summary>
            /// <c>out = log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|))</c>, stable for any x: node
            /// <c>LogSigmoidBackward0</c>, whose backward is <c>grad / (1 + exp(x))</c>.
            /// </summary>
            internal static TensorT LogSigmoidOp(TensorT x)
            {
                var result = Alloc(x.DType, x.Sizes);
                var dense = x.Contiguous().Detach();
                for (int i = 0; i < dense.Numel; i++)
                {
                    double v = dense.GetDouble(i);
                    SetFlat(result, i, Math.Min(v, 0) - double.LogP1(Math.Exp(-Math.Abs(v))));
                }
                if (Graph.NeedsGrad(x))
                {
                    var node = new LogSigmoidBackward0();
                    node.Self = node.Save(x);
                    Graph.Record(node, result, x);
                }
                return result;
            }

            /// <summary>Writes one element of a fresh contiguous float tensor.</summary>
            private static void SetFlat(TensorT t, int index, double value)
            {
                if (t.DType == DType.Float32) t.Storage.As<float>()[index] = (float)value;
                else t.Storage.As<double>()[index] = value;
            }

            internal sealed class MulBackward1(double scalar) : SingleOutputNode
            {
                public override string Name => "MulBackward1";
                protected override TensorT?[] Backward(TensorT grad) => [grad * scalar];
            }

            internal sealed class AddBackward1 : SingleOutputNode
            {
                public override string Name => "AddBackward1";
                protected override TensorT?[] Backward(TensorT grad) => [grad];
            }

            internal sealed class DivBackward1(long scalar) : SingleOutputNode
            {
                public override string Name => "DivBackward1";
                protected override TensorT?[] Backward(TensorT grad) => [grad / scalar];
            }

            internal sealed class IndexPutBackward0(TensorT keep) : SingleOutputNode
            {
                public override string Name => "IndexPutBackward0";
                protected override TensorT?[] Backward(TensorT grad) => [grad * keep];
            }

            internal sealed class LogSigmoidBackward0 : SingleOutputNode
            {
                public SavedTensor? Self;
                public override string Name => "LogSigmoidBackward0";

                // d/dx log(sigmoid(x)) = 1 - sigmoid(x) = 1 / (1 + exp(x))
                protected override TensorT?[] Backward(TensorT grad) => [grad * Self!.Unpack().Exp().Add(1).Reciprocal()];
            }

            internal sealed class MaskedSelectBackward0(bool[] mask, int[] selfSizes) : SingleOutputNode
            {
                public override string Name => "MaskedSelectBackward0";
                protected override TensorT?[] Backward(TensorT grad) => [MaskedScatter(grad, mask, selfSizes)];
            }

            internal sealed class MaskedScatterBackward0(bool[] mask) : SingleOutputNode
            {
                public override string Name => "MaskedScatterBackward0";
                protected override TensorT?[] Backward(TensorT grad) => [MaskedSelect(grad, mask)];
            }
        }
    }
}
