namespace SharpGrad.Autograd;

/// <summary>
/// The shared steps of <c>torch.autograd.functional</c>: input checks, detaching, the strict-mode
/// checks and the zero filling, each with PyTorch 1.13's error texts.
/// </summary>
/// <remarks>
/// Note [Functional nesting]: PyTorch tells a single Tensor from a tuple of Tensors at run time and
/// nests its results to match. In C# the overload does it at compile time: a <c>Tensor</c> argument
/// or result is PyTorch's single Tensor, a <c>Tensor[]</c> is its tuple (a one-element array is a
/// one-element tuple, exactly as <c>(x,)</c> in PyTorch). Internally everything is a tuple and the
/// public overloads unwrap what PyTorch would unwrap.
/// </remarks>
internal static class FunctionalSupport
{
    /// <summary>PyTorch's <c>_as_tuple</c> type check: every entry must be a tensor (C# can only get null wrong).</summary>
    public static Tensor[] CheckTensors(Tensor?[]? values, bool isTuple, string argName, string fnName)
    {
        if (values is null)
            throw new ArgumentException(
                $"The {argName} given to {fnName} must be either a Tensor or a tuple of Tensors but the given {argName} has type <class 'NoneType'>.");
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is not null) continue;
            throw new ArgumentException(isTuple
                ? $"The {argName} given to {fnName} must be either a Tensor or a tuple of Tensors but the value at index {i} has type <class 'NoneType'>."
                : $"The {argName} given to {fnName} must be either a Tensor or a tuple of Tensors but the given {argName} has type <class 'NoneType'>.");
        }
        return values!;
    }

    /// <summary>
    /// PyTorch's <c>_grad_preprocess</c>: a fresh tensor object per input, so that the function's own
    /// captures of the same tensor are told apart (pytorch#32576). With createGraph an input that
    /// requires grad stays connected through <c>view_as</c>; otherwise it is detached and marked
    /// as requiring grad when <paramref name="needGraph"/>.
    /// </summary>
    public static Tensor[] GradPreprocess(Tensor[] inputs, bool createGraph, bool needGraph)
    {
        var result = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i];
            result[i] = createGraph && input.RequiresGrad ? input.ViewAs(input) : input.Detach().SetRequiresGrad(needGraph);
        }
        return result;
    }

    /// <summary>PyTorch's <c>_grad_postprocess</c>: results carry no history unless createGraph.</summary>
    public static Tensor[] GradPostprocess(Tensor[] values, bool createGraph) =>
        createGraph ? values : Array.ConvertAll(values, v => v.Detach());

    /// <summary>PyTorch's <c>_validate_v</c>: <paramref name="v"/> must match <paramref name="other"/> in count and shapes.</summary>
    public static void ValidateV(Tensor[] v, Tensor[] other, bool isOtherTuple)
    {
        if (v.Length != other.Length)
            throw new InvalidOperationException(isOtherTuple
                ? $"v is a tuple of invalid length: should be {other.Length} but got {v.Length}."
                : "The given v should contain a single Tensor.");
        for (int i = 0; i < v.Length; i++)
        {
            if (ShapeUtil.SameShape(v[i].Sizes, other[i].Sizes)) continue;
            string prepend = isOtherTuple ? $"Entry {i} in " : "";
            throw new InvalidOperationException(
                $"{prepend}v has invalid size: should be torch.Size({ShapeUtil.Format(other[i].Sizes)}) but got torch.Size({ShapeUtil.Format(v[i].Sizes)}).");
        }
    }

    /// <summary>PyTorch's <c>_check_requires_grad</c>: the strict-mode errors, by the kind of tensors checked.</summary>
    public static void CheckRequiresGrad(Tensor?[] values, string inputType, bool strict)
    {
        if (!strict) return;
        for (int i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (value is null)
                throw new InvalidOperationException(
                    $"The output of the user-provided function is independent of input {i}. This is not allowed in strict mode.");
            if (value.RequiresGrad) continue;
            throw new InvalidOperationException(inputType switch
            {
                "hessian" => $"The hessian of the user-provided function with respect to input {i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is thrice differentiable and that the hessian depends on the inputs.",
                "jacobian" => $"While computing the hessian, found that the jacobian of the user-provided function with respect to input {i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is twice differentiable and that the jacobian depends on the inputs (this would be violated by a linear function for example).",
                "grad_inputs" => $"The gradient with respect to input {i} is independent of the inputs of the user-provided function. This is not allowed in strict mode.",
                _ => $"Output {i} of the user-provided function does not require gradients. The outputs must be computed in a differentiable manner from the input when running in strict mode.",
            });
        }
    }

    /// <summary>
    /// PyTorch's <c>_autograd_grad</c>: <c>autograd.grad</c> over the outputs that require grad
    /// (null entries allowed), with allowUnused; all null when no output is differentiable.
    /// </summary>
    public static Tensor?[] AutogradGrad(Tensor?[] outputs, Tensor[] inputs, Tensor?[]? gradOutputs,
        bool createGraph, bool? retainGraph = null)
    {
        var keptOutputs = new List<Tensor>(outputs.Length);
        var keptGrads = new List<Tensor?>(outputs.Length);
        for (int i = 0; i < outputs.Length; i++)
        {
            if (outputs[i] is not { RequiresGrad: true } output) continue;
            keptOutputs.Add(output);
            keptGrads.Add(gradOutputs?[i]);
        }
        if (keptOutputs.Count == 0) return new Tensor?[inputs.Length];
        return Torch.Autograd.Grad(keptOutputs, inputs, keptGrads, retainGraph ?? createGraph, createGraph, allowUnused: true);
    }

    /// <summary>
    /// PyTorch's <c>_fill_in_zeros</c>: a missing gradient becomes zeros shaped like its reference,
    /// or a strict-mode error that names the stage of the computation.
    /// </summary>
    public static Tensor[] FillInZeros(Tensor?[] grads, Tensor[] refs, bool strict, bool createGraph, string stage)
    {
        var result = new Tensor[grads.Length];
        for (int i = 0; i < grads.Length; i++)
        {
            if (grads[i] is { } g)
            {
                if (strict && createGraph && !g.RequiresGrad)
                    throw new InvalidOperationException(stage.Contains("double")
                        ? $"The hessian of the user-provided function is independent of input {i}. This is not allowed in strict mode when create_graph=True."
                        : $"The jacobian of the user-provided function is independent of input {i}. This is not allowed in strict mode when create_graph=True.");
                result[i] = g;
                continue;
            }
            if (strict)
                throw new InvalidOperationException(stage switch
                {
                    "back" => $"The output of the user-provided function is independent of input {i}. This is not allowed in strict mode.",
                    "back_trick" => $"The gradient with respect to the input is independent of entry {i} in the grad_outputs when using the double backward trick to compute forward mode gradients. This is not allowed in strict mode.",
                    "double_back" => $"The jacobian of the user-provided function is independent of input {i}. This is not allowed in strict mode.",
                    _ => $"The hessian of the user-provided function is independent of entry {i} in the grad_jacobian. This is not allowed in strict mode as it prevents from using the double backward trick to replace forward mode AD.",
                });
            result[i] = Torch.ZerosLike(refs[i]);
        }
        return result;
    }

    /// <summary>
    /// PyTorch's <c>_construct_standard_basis_for</c>: the N x N identity (N the total element count)
    /// cut into one column block per tensor, each block in its tensor's dtype and reshaped to
    /// <c>[N, *tensor.shape]</c> so that it feeds straight into a batched backward.
    /// </summary>
    public static Tensor[] StandardBasis(Tensor[] tensors)
    {
        int total = 0;
        foreach (var t in tensors) total += t.Numel;
        var chunks = new Tensor[tensors.Length];
        int start = 0;
        for (int k = 0; k < tensors.Length; k++)
        {
            var t = tensors[k];
            int numel = t.Numel;
            var chunk = Tensor.Allocate(t.DType, [total, numel]);
            for (int c = 0; c < numel; c++) SetOne(chunk, (start + c) * numel + c);
            chunks[k] = chunk.View([total, .. t.Sizes]);
            start += numel;
        }
        return chunks;
    }

    /// <summary>A zero tensor shaped like <paramref name="like"/> with a one at flat position <paramref name="index"/>.</summary>
    public static Tensor OneHot(Tensor like, int index)
    {
        var result = Tensor.Allocate(like.DType, like.Sizes);
        SetOne(result, index);
        return result;
    }

    private static void SetOne(Tensor contiguous, int index)
    {
        switch (contiguous.DType)
        {
            case DType.Float32: contiguous.Storage.As<float>()[index] = 1; break;
            case DType.Float64: contiguous.Storage.As<double>()[index] = 1; break;
            case DType.Int64: contiguous.Storage.As<long>()[index] = 1; break;
            case DType.Int32: contiguous.Storage.As<int>()[index] = 1; break;
            default: contiguous.Storage.As<bool>()[index] = true; break;
        }
    }
}
