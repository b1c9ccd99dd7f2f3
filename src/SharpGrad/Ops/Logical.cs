using SharpGrad.Kernels;

namespace SharpGrad;

// Note [Logical and bitwise]: logical ops read any dtype as "nonzero" (NaN counts) and return Bool.
// The C# operators follow Python's: &, |, ^ and ~ are the bitwise ops (on Bool tensors the same as
// the logical ones; on integers bitwise; floats are rejected with PyTorch's error). C# also gets !
// as LogicalNot. None of these ops is differentiable.

public sealed partial class Tensor
{
    /// <summary><c>out = (this != 0) and (other != 0)</c> as Bool, broadcasting; <c>torch.logical_and</c>.</summary>
    public Tensor LogicalAnd(Tensor other)
    {
        using var scope = Profiler.Op("aten::logical_and", this, other);
        return Logical<AndOp>(this, other);
    }

    /// <summary><c>out = (this != 0) or (other != 0)</c> as Bool, broadcasting; <c>torch.logical_or</c>.</summary>
    public Tensor LogicalOr(Tensor other)
    {
        using var scope = Profiler.Op("aten::logical_or", this, other);
        return Logical<OrOp>(this, other);
    }

    /// <summary><c>out = (this != 0) xor (other != 0)</c> as Bool, broadcasting; <c>torch.logical_xor</c>.</summary>
    public Tensor LogicalXor(Tensor other)
    {
        using var scope = Profiler.Op("aten::logical_xor", this, other);
        return Logical<XorOp>(this, other);
    }

    /// <summary><c>out = (this == 0)</c> as Bool; <c>torch.logical_not</c>.</summary>
    public Tensor LogicalNot()
    {
        using var scope = Profiler.Op("aten::logical_not", this);
        var x = Dispatch.As(this, DType.Bool);
        var output = Allocate(DType.Bool, x.Sizes);
        Elementwise.Unary<bool, bool, NotBool>(x, output);
        return output;
    }

    /// <summary><c>out = this &amp; other</c> on Bool or integer tensors (promoted), <c>torch.bitwise_and</c>.</summary>
    public Tensor BitwiseAnd(Tensor other)
    {
        using var scope = Profiler.Op("aten::bitwise_and", this, other);
        return Bitwise<AndOp>(this, other, "bitwise_and_cpu");
    }

    /// <summary><c>out = this | other</c> on Bool or integer tensors (promoted), <c>torch.bitwise_or</c>.</summary>
    public Tensor BitwiseOr(Tensor other)
    {
        using var scope = Profiler.Op("aten::bitwise_or", this, other);
        return Bitwise<OrOp>(this, other, "bitwise_or_cpu");
    }

    /// <summary><c>out = this ^ other</c> on Bool or integer tensors (promoted), <c>torch.bitwise_xor</c>.</summary>
    public Tensor BitwiseXor(Tensor other)
    {
        using var scope = Profiler.Op("aten::bitwise_xor", this, other);
        return Bitwise<XorOp>(this, other, "bitwise_xor_cpu");
    }

    /// <summary><c>out = ~this</c>: logical not on Bool, ones' complement on integers, <c>torch.bitwise_not</c>.</summary>
    public Tensor BitwiseNot()
    {
        using var scope = Profiler.Op("aten::bitwise_not", this);
        if (DType.IsFloatingPoint()) throw Dispatch.Unsupported("bitwise_not_cpu", DType);
        var output = Allocate(DType, Sizes);
        switch (DType)
        {
            case DType.Bool: Elementwise.Unary<bool, bool, NotBool>(this, output); break;
            case DType.Int64: Elementwise.Unary<long, long, NotBits<long>>(this, output); break;
            default: Elementwise.Unary<int, int, NotBits<int>>(this, output); break;
        }
        return output;
    }

    /// <summary>True (a 0-dim Bool tensor) when every element is nonzero (true when empty); <c>torch.all</c>.</summary>
    public Tensor All()
    {
        using var scope = Profiler.Op("aten::all", this);
        return AllAny(Reduce.Mask(Dim, null), keepDim: false, all: true);
    }

    /// <summary>Whether every element along <paramref name="dim"/> is nonzero, as Bool; <c>torch.all(input, dim, keepdim)</c>.</summary>
    public Tensor All(int dim, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::all", this);
        return AllAny(Reduce.Mask(Dim, [dim]), keepDim, all: true);
    }

    /// <summary>True (a 0-dim Bool tensor) when some element is nonzero (false when empty); <c>torch.any</c>.</summary>
    public Tensor Any()
    {
        using var scope = Profiler.Op("aten::any", this);
        return AllAny(Reduce.Mask(Dim, null), keepDim: false, all: false);
    }

    /// <summary>Whether some element along <paramref name="dim"/> is nonzero, as Bool; <c>torch.any(input, dim, keepdim)</c>.</summary>
    public Tensor Any(int dim, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::any", this);
        return AllAny(Reduce.Mask(Dim, [dim]), keepDim, all: false);
    }

    /// <summary><c>a &amp; b</c>: <see cref="BitwiseAnd"/> (logical and on Bool tensors).</summary>
    public static Tensor operator &(Tensor a, Tensor b) => a.BitwiseAnd(b);
    /// <summary><c>a | b</c>: <see cref="BitwiseOr"/> (logical or on Bool tensors).</summary>
    public static Tensor operator |(Tensor a, Tensor b) => a.BitwiseOr(b);
    /// <summary><c>a ^ b</c>: <see cref="BitwiseXor"/> (logical xor on Bool tensors).</summary>
    public static Tensor operator ^(Tensor a, Tensor b) => a.BitwiseXor(b);
    /// <summary><c>~a</c>: <see cref="BitwiseNot"/> (logical not on Bool tensors).</summary>
    public static Tensor operator ~(Tensor a) => a.BitwiseNot();
    /// <summary><c>!a</c>: <see cref="LogicalNot"/> (any dtype, Bool result).</summary>
    public static Tensor operator !(Tensor a) => a.LogicalNot();

    private static Tensor Logical<TOp>(Tensor a, Tensor b) where TOp : IBoolBinary<TOp>
    {
        a = Dispatch.As(a, DType.Bool);
        b = Dispatch.As(b, DType.Bool);
        var output = Allocate(DType.Bool, ShapeUtil.Broadcast(a.Sizes, b.Sizes));
        Elementwise.Binary<bool, bool, BoolBinary<TOp>>(a, b, output);
        return output;
    }

    private static Tensor Bitwise<TOp>(Tensor a, Tensor b, string name) where TOp : IBoolBinary<TOp>, IBitwiseBinary<TOp>
    {
        var dtype = TypePromotion.ResultType(a, b);
        if (dtype.IsFloatingPoint()) throw Dispatch.Unsupported(name, dtype);
        a = Dispatch.As(a, dtype);
        b = Dispatch.As(b, dtype);
        var output = Allocate(dtype, ShapeUtil.Broadcast(a.Sizes, b.Sizes));
        switch (dtype)
        {
            case DType.Bool: Elementwise.Binary<bool, bool, BoolBinary<TOp>>(a, b, output); break;
            case DType.Int64: Elementwise.Binary<long, long, BitwiseBinary<TOp, long>>(a, b, output); break;
            default: Elementwise.Binary<int, int, BitwiseBinary<TOp, int>>(a, b, output); break;
        }
        return output;
    }

    /// <summary>Whether all (or any) elements are nonzero along the masked dims; empty runs give all = true, any = false.</summary>
    private Tensor AllAny(bool[] mask, bool keepDim, bool all)
    {
        var (data, run) = Reduce.Layout<bool>(Dispatch.As(this, DType.Bool), mask);
        var result = Allocate(DType.Bool, Reduce.OutputSizes(Sizes, mask, keepDim));
        var output = result.Storage.As<bool>();
        for (int i = 0; i < output.Length; i++)
        {
            var span = data.AsSpan(i * run, run);
            output[i] = all ? !span.Contains(false) : span.Contains(true);
        }
        return result;
    }
}

public static partial class Torch
{
    /// <summary><c>out = (input != 0) and (other != 0)</c> as Bool; <c>torch.logical_and</c>.</summary>
    public static Tensor LogicalAnd(Tensor input, Tensor other) => input.LogicalAnd(other);
    /// <summary><c>out = (input != 0) or (other != 0)</c> as Bool; <c>torch.logical_or</c>.</summary>
    public static Tensor LogicalOr(Tensor input, Tensor other) => input.LogicalOr(other);
    /// <summary><c>out = (input != 0) xor (other != 0)</c> as Bool; <c>torch.logical_xor</c>.</summary>
    public static Tensor LogicalXor(Tensor input, Tensor other) => input.LogicalXor(other);
    /// <summary><c>out = (input == 0)</c> as Bool; <c>torch.logical_not</c>.</summary>
    public static Tensor LogicalNot(Tensor input) => input.LogicalNot();
    /// <summary><c>out = input &amp; other</c> on Bool or integer tensors; <c>torch.bitwise_and</c>.</summary>
    public static Tensor BitwiseAnd(Tensor input, Tensor other) => input.BitwiseAnd(other);
    /// <summary><c>out = input | other</c> on Bool or integer tensors; <c>torch.bitwise_or</c>.</summary>
    public static Tensor BitwiseOr(Tensor input, Tensor other) => input.BitwiseOr(other);
    /// <summary><c>out = input ^ other</c> on Bool or integer tensors; <c>torch.bitwise_xor</c>.</summary>
    public static Tensor BitwiseXor(Tensor input, Tensor other) => input.BitwiseXor(other);
    /// <summary><c>out = ~input</c> on Bool or integer tensors; <c>torch.bitwise_not</c>.</summary>
    public static Tensor BitwiseNot(Tensor input) => input.BitwiseNot();
    /// <summary>Whether every element is nonzero, as a 0-dim Bool tensor; <c>torch.all</c>.</summary>
    public static Tensor All(Tensor input) => input.All();
    /// <summary>Whether every element along <paramref name="dim"/> is nonzero; <c>torch.all(input, dim, keepdim)</c>.</summary>
    public static Tensor All(Tensor input, int dim, bool keepDim = false) => input.All(dim, keepDim);
    /// <summary>Whether some element is nonzero, as a 0-dim Bool tensor; <c>torch.any</c>.</summary>
    public static Tensor Any(Tensor input) => input.Any();
    /// <summary>Whether some element along <paramref name="dim"/> is nonzero; <c>torch.any(input, dim, keepdim)</c>.</summary>
    public static Tensor Any(Tensor input, int dim, bool keepDim = false) => input.Any(dim, keepDim);
}
