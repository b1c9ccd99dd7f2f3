using SharpGrad.Autograd;
using static SharpGrad.Autograd.FunctionalSupport;

namespace SharpGrad;

public static partial class Torch
{
    public static partial class Autograd
    {
        public static partial class Functional
        {
            /// <summary>
            /// PyTorch's <c>_jacfwd</c> (<c>jacobian(..., vectorize=True, strategy="forward-mode")</c>): one
            /// forward-mode pass per input element, each giving one column of every output's Jacobian.
            /// </summary>
            /// <remarks>
            /// Note [Forward-mode Jacobian]: PyTorch runs <c>func</c> once, under vmap, on dual inputs whose
            /// tangents are the rows of the standard basis of all the inputs together (the one-hot of column
            /// j for the input that holds it, zeros for the others), and unpacks the output tangents: the
            /// batch of tangents of output i is its Jacobian with the columns first, <c>[N, *output.shape]</c>
            /// (zeros, expanded, when the output carries no tangent). It then splits the columns per input,
            /// moves them last and reshapes to <c>output.shape + input.shape</c>.
            /// <para>SharpGrad has no vmap, and a tangent cannot carry a batch dimension: Note [Tangent layout]
            /// makes every tangent exactly the primal's shape and layout, and the forward rules (views,
            /// reductions over a dim, matmul, indexing...) take the primal's dimensions literally. So the
            /// batch entries run one after the other: column j is one call of <c>func</c> in its own dual
            /// level with the inputs made dual with basis row j (fresh tangents each time, since func may
            /// update its inputs' tangents in place). Each entry gets the tangents PyTorch's batch entry gets,
            /// including the zero tangents of the other inputs (so <c>sqrt(x) + y</c> at x = 0 gives NaN in
            /// y's column, as in PyTorch). The batch is then stacked and post-processed with PyTorch's own
            /// ops, so the results have its shapes, dtypes (the outputs'), requires_grad and grad_fn (a
            /// tangent that depends on tensors requiring grad keeps its graph; PyTorch does not detach
            /// forward-mode results). Only the strides can differ: vmap keeps the batch in the layout of a
            /// non-contiguous tangent, the stack is contiguous. A Jacobian with no column still needs the
            /// outputs' shapes: func runs once with the (empty) zero tangents, as vmap over an empty batch
            /// does.</para>
            /// </remarks>
            private static Tensor[][] ForwardJacobian(Func<Tensor[], Tensor[]> func, Tensor[] inputs, bool isOutputsTuple)
            {
                // _construct_standard_basis_for's bare `assert len(tensors) > 0`: an AssertionError without text.
                if (inputs.Length == 0) throw new ArgumentException("");
                var numels = Array.ConvertAll(inputs, x => x.Numel);
                int total = 0;
                foreach (int n in numels) total += n;

                Tensor[]? outputs = null;
                List<Tensor?>[]? columns = null;
                for (int column = 0; column < Math.Max(total, 1); column++)
                {
                    using var level = ForwardAD.DualLevel();
                    var duals = new Tensor[inputs.Length];
                    for (int k = 0, start = 0; k < inputs.Length; start += numels[k++])
                    {
                        var input = inputs[k];
                        int local = column - start;
                        var tangent = local >= 0 && local < numels[k] ? OneHot(input, local) : SharpGrad.Tensor.Allocate(input.DType, input.Sizes);
                        duals[k] = ForwardAD.MakeDual(input, tangent);
                    }
                    // PyTorch's _jacfwd calls _as_tuple without a function name: its texts say "given to None".
                    var results = CheckTensors(func(duals), isOutputsTuple, "outputs", "None");
                    if (outputs is null)
                    {
                        outputs = results;
                        columns = Array.ConvertAll(results, _ => new List<Tensor?>(total));
                    }
                    if (total == 0) break;
                    for (int i = 0; i < results.Length; i++) columns![i].Add(results[i].Tangent);
                }

                var jacobian = new Tensor[outputs!.Length][];
                for (int i = 0; i < outputs.Length; i++)
                {
                    var output = outputs[i];
                    var tangents = columns![i];
                    // [N, *output.shape], the columns first, as vmap returns them.
                    Tensor batched;
                    if (total == 0) batched = Zeros([0, .. output.Sizes], output.DType);
                    else if (tangents.TrueForAll(t => t is null)) batched = ZerosLike(output).Expand([total, .. output.Sizes]);
                    else batched = Stack(tangents.ConvertAll(t => t ?? ZerosLike(output)));

                    var columnsLast = new int[batched.Dim];
                    for (int d = 1; d < columnsLast.Length; d++) columnsLast[d - 1] = d;
                    var pieces = batched.Split(numels);
                    jacobian[i] = new Tensor[inputs.Length];
                    for (int k = 0; k < inputs.Length; k++)
                        jacobian[i][k] = pieces[k].Permute(columnsLast).Reshape([.. output.Sizes, .. inputs[k].Sizes]);
                }
                return jacobian;
            }
        }
    }
}
