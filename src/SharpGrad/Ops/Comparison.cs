using SharpGrad.Kernels;

namespace SharpGrad;

// Note [Comparisons]: comparisons compute in the promoted dtype of their operands (a C# number
// never widens a tensor: float32 == 0.1 compares in float32, as PyTorch does) and return Bool
// tensors, which never require grad. C#'s == and != stay reference equality: use Eq and Ne.

public sealed partial class Tensor
{
    /// <summary><c>out = this == other</c> as Bool, broadcasting; <c>torch.eq</c>.</summary>
    public Tensor Eq(Tensor other)
    {
        using var scope = Profiler.Op("aten::eq", this, other);
        return Dispatch.Compare<EqOp>(this, other);
    }

    /// <summary><c>out = this == other</c> as Bool for a number <paramref name="other"/>; <c>torch.eq</c>.</summary>
    public Tensor Eq(Scalar other)
    {
        using var scope = Profiler.Op("aten::eq", this);
        return Dispatch.Compare<EqOp>(this, Wrap(other));
    }

    /// <summary><c>out = this != other</c> as Bool, broadcasting; <c>torch.ne</c>.</summary>
    public Tensor Ne(Tensor other)
    {
        using var scope = Profiler.Op("aten::ne", this, other);
        return Dispatch.Compare<NeOp>(this, other);
    }

    /// <summary><c>out = this != other</c> as Bool for a number <paramref name="other"/>; <c>torch.ne</c>.</summary>
    public Tensor Ne(Scalar other)
    {
        using var scope = Profiler.Op("aten::ne", this);
        return Dispatch.Compare<NeOp>(this, Wrap(other));
    }

    /// <summary><c>out = this &lt; other</c> as Bool, broadcasting; <c>torch.lt</c>.</summary>
    public Tensor Lt(Tensor other)
    {
        using var scope = Profiler.Op("aten::lt", this, other);
        return Dispatch.Compare<LtOp>(this, other);
    }

    /// <summary><c>out = this &lt; other</c> as Bool for a number <paramref name="other"/>; <c>torch.lt</c>.</summary>
    public Tensor Lt(Scalar other)
    {
        using var scope = Profiler.Op("aten::lt", this);
        return Dispatch.Compare<LtOp>(this, Wrap(other));
    }

    /// <summary><c>out = this &lt;= other</c> as Bool, broadcasting; <c>torch.le</c>.</summary>
    public Tensor Le(Tensor other)
    {
        using var scope = Profiler.Op("aten::le", this, other);
        return Dispatch.Compare<LeOp>(this, other);
    }

    /// <summary><c>out = this &lt;= other</c> as Bool for a number <paramref name="other"/>; <c>torch.le</c>.</summary>
    public Tensor Le(Scalar other)
    {
        using var scope = Profiler.Op("aten::le", this);
        return Dispatch.Compare<LeOp>(this, Wrap(other));
    }

    /// <summary><c>out = this &gt; other</c> as Bool, broadcasting; <c>torch.gt</c>.</summary>
    public Tensor Gt(Tensor other)
    {
        using var scope = Profiler.Op("aten::gt", this, other);
        return Dispatch.Compare<GtOp>(this, other);
    }

    /// <summary><c>out = this &gt; other</c> as Bool for a number <paramref name="other"/>; <c>torch.gt</c>.</summary>
    public Tensor Gt(Scalar other)
    {
        using var scope = Profiler.Op("aten::gt", this);
        return Dispatch.Compare<GtOp>(this, Wrap(other));
    }

    /// <summary><c>out = this &gt;= other</c> as Bool, broadcasting; <c>torch.ge</c>.</summary>
    public Tensor Ge(Tensor other)
    {
        using var scope = Profiler.Op("aten::ge", this, other);
        return Dispatch.Compare<GeOp>(this, other);
    }

    /// <summary><c>out = this &gt;= other</c> as Bool for a number <paramref name="other"/>; <c>torch.ge</c>.</summary>
    public Tensor Ge(Scalar other)
    {
        using var scope = Profiler.Op("aten::ge", this);
        return Dispatch.Compare<GeOp>(this, Wrap(other));
    }

    /// <summary><c>a &lt; b</c> elementwise as Bool (<see cref="Lt(Tensor)"/>).</summary>
    public static Tensor operator <(Tensor a, Tensor b) => a.Lt(b);
    /// <summary><c>a &lt; s</c> elementwise as Bool.</summary>
    public static Tensor operator <(Tensor a, Scalar s) => a.Lt(s);
    /// <summary><c>s &lt; a</c> elementwise as Bool (PyTorch evaluates it as <c>a &gt; s</c>).</summary>
    public static Tensor operator <(Scalar s, Tensor a) => a.Gt(s);
    /// <summary><c>a &gt; b</c> elementwise as Bool (<see cref="Gt(Tensor)"/>).</summary>
    public static Tensor operator >(Tensor a, Tensor b) => a.Gt(b);
    /// <summary><c>a &gt; s</c> elementwise as Bool.</summary>
    public static Tensor operator >(Tensor a, Scalar s) => a.Gt(s);
    /// <summary><c>s &gt; a</c> elementwise as Bool (PyTorch evaluates it as <c>a &lt; s</c>).</summary>
    public static Tensor operator >(Scalar s, Tensor a) => a.Lt(s);
    /// <summary><c>a &lt;= b</c> elementwise as Bool (<see cref="Le(Tensor)"/>).</summary>
    public static Tensor operator <=(Tensor a, Tensor b) => a.Le(b);
    /// <summary><c>a &lt;= s</c> elementwise as Bool.</summary>
    public static Tensor operator <=(Tensor a, Scalar s) => a.Le(s);
    /// <summary><c>s &lt;= a</c> elementwise as Bool (PyTorch evaluates it as <c>a &gt;= s</c>).</summary>
    public static Tensor operator <=(Scalar s, Tensor a) => a.Ge(s);
    /// <summary><c>a &gt;= b</c> elementwise as Bool (<see cref="Ge(Tensor)"/>).</summary>
    public static Tensor operator >=(Tensor a, Tensor b) => a.Ge(b);
    /// <summary><c>a &gt;= s</c> elementwise as Bool.</summary>
    public static Tensor operator >=(Tensor a, Scalar s) => a.Ge(s);
    /// <summary><c>s &gt;= a</c> elementwise as Bool (PyTorch evaluates it as <c>a &lt;= s</c>).</summary>
    public static Tensor operator >=(Scalar s, Tensor a) => a.Le(s);
}

public static partial class Torch
{
    /// <summary><c>out = input == other</c> as Bool, broadcasting; <c>torch.eq</c>.</summary>
    public static Tensor Eq(Tensor input, Tensor other) => input.Eq(other);

    /// <summary><c>out = input == other</c> as Bool for a number <paramref name="other"/>; <c>torch.eq</c>.</summary>
    public static Tensor Eq(Tensor input, Scalar other) => input.Eq(other);

    /// <summary><c>out = input != other</c> as Bool, broadcasting; <c>torch.ne</c>.</summary>
    public static Tensor Ne(Tensor input, Tensor other) => input.Ne(other);

    /// <summary><c>out = input != other</c> as Bool for a number <paramref name="other"/>; <c>torch.ne</c>.</summary>
    public static Tensor Ne(Tensor input, Scalar other) => input.Ne(other);

    /// <summary><c>out = input &lt; other</c> as Bool, broadcasting; <c>torch.lt</c>.</summary>
    public static Tensor Lt(Tensor input, Tensor other) => input.Lt(other);

    /// <summary><c>out = input &lt; other</c> as Bool for a number <paramref name="other"/>; <c>torch.lt</c>.</summary>
    public static Tensor Lt(Tensor input, Scalar other) => input.Lt(other);

    /// <summary><c>out = input &lt;= other</c> as Bool, broadcasting; <c>torch.le</c>.</summary>
    public static Tensor Le(Tensor input, Tensor other) => input.Le(other);

    /// <summary><c>out = input &lt;= other</c> as Bool for a number <paramref name="other"/>; <c>torch.le</c>.</summary>
    public static Tensor Le(Tensor input, Scalar other) => input.Le(other);

    /// <summary><c>out = input &gt; other</c> as Bool, broadcasting; <c>torch.gt</c>.</summary>
    public static Tensor Gt(Tensor input, Tensor other) => input.Gt(other);

    /// <summary><c>out = input &gt; other</c> as Bool for a number <paramref name="other"/>; <c>torch.gt</c>.</summary>
    public static Tensor Gt(Tensor input, Scalar other) => input.Gt(other);

    /// <summary><c>out = input &gt;= other</c> as Bool, broadcasting; <c>torch.ge</c>.</summary>
    public static Tensor Ge(Tensor input, Tensor other) => input.Ge(other);

    /// <summary><c>out = input &gt;= other</c> as Bool for a number <paramref name="other"/>; <c>torch.ge</c>.</summary>
    public static Tensor Ge(Tensor input, Scalar other) => input.Ge(other);
}
