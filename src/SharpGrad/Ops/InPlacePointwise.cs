namespace SharpGrad;

// In-place forms of the pointwise ops (Note [In-place ops]). The stand-in copies the old values
// when the op's derivative reads its input (sin, log, abs, clamp, pow...); ops whose derivative
// reads only their result (sqrt, tanh, sigmoid, relu...) use an alias.
public sealed partial class Tensor
{
    /// <summary><c>this = sqrt(this)</c>, <c>tensor.sqrt_()</c>.</summary>
    public Tensor SqrtInPlace()
    {
        using var scope = Profiler.Op("aten::sqrt_", this);
        return InPlace(t => t.Sqrt());
    }

    /// <summary><c>this = 1 / sqrt(this)</c>, <c>tensor.rsqrt_()</c>.</summary>
    public Tensor RsqrtInPlace()
    {
        using var scope = Profiler.Op("aten::rsqrt_", this);
        return InPlace(t => t.Rsqrt());
    }

    /// <summary><c>this = log(this)</c>, <c>tensor.log_()</c>.</summary>
    public Tensor LogInPlace()
    {
        using var scope = Profiler.Op("aten::log_", this);
        return InPlace(t => t.Log(), needsOldValue: true);
    }

    /// <summary><c>this = sin(this)</c>, <c>tensor.sin_()</c> / <c>torch.sin_(t)</c>.</summary>
    public Tensor SinInPlace()
    {
        using var scope = Profiler.Op("aten::sin_", this);
        return InPlace(t => t.Sin(), needsOldValue: true);
    }

    /// <summary><c>this = cos(this)</c>, <c>tensor.cos_()</c>.</summary>
    public Tensor CosInPlace()
    {
        using var scope = Profiler.Op("aten::cos_", this);
        return InPlace(t => t.Cos(), needsOldValue: true);
    }

    /// <summary><c>this = tanh(this)</c>, <c>tensor.tanh_()</c>.</summary>
    public Tensor TanhInPlace()
    {
        using var scope = Profiler.Op("aten::tanh_", this);
        return InPlace(t => t.Tanh());
    }

    /// <summary><c>this = sigmoid(this)</c>, <c>tensor.sigmoid_()</c>.</summary>
    public Tensor SigmoidInPlace()
    {
        using var scope = Profiler.Op("aten::sigmoid_", this);
        return InPlace(t => t.Sigmoid());
    }

    /// <summary><c>this = max(this, 0)</c>, <c>tensor.relu_()</c>.</summary>
    public Tensor ReluInPlace()
    {
        using var scope = Profiler.Op("aten::relu_", this);
        return InPlace(t => t.Relu());
    }

    /// <summary><c>this = |this|</c>, <c>tensor.abs_()</c>.</summary>
    public Tensor AbsInPlace()
    {
        using var scope = Profiler.Op("aten::abs_", this);
        return InPlace(t => t.Abs(), needsOldValue: true);
    }

    /// <summary><c>this = log(1 + this)</c>, <c>tensor.log1p_()</c>.</summary>
    public Tensor Log1pInPlace()
    {
        using var scope = Profiler.Op("aten::log1p_", this);
        return InPlace(t => t.Log1p(), needsOldValue: true);
    }

    /// <summary><c>this = exp(this) - 1</c>, <c>tensor.expm1_()</c>.</summary>
    public Tensor Expm1InPlace()
    {
        using var scope = Profiler.Op("aten::expm1_", this);
        return InPlace(t => t.Expm1());
    }

    /// <summary><c>this = min(max(this, min), max)</c>, <c>tensor.clamp_(min, max)</c>.</summary>
    public Tensor ClampInPlace(Scalar? min = null, Scalar? max = null)
    {
        using var scope = Profiler.Op("aten::clamp_", this);
        return InPlace(t => t.Clamp(min, max), needsOldValue: true);
    }

    /// <summary><c>this = max(this, min)</c>, <c>tensor.clamp_min_(min)</c>.</summary>
    public Tensor ClampMinInPlace(Scalar min)
    {
        using var scope = Profiler.Op("aten::clamp_min_", this);
        return InPlace(t => t.ClampMin(min), needsOldValue: true);
    }

    /// <summary><c>this = min(this, max)</c>, <c>tensor.clamp_max_(max)</c>.</summary>
    public Tensor ClampMaxInPlace(Scalar max)
    {
        using var scope = Profiler.Op("aten::clamp_max_", this);
        return InPlace(t => t.ClampMax(max), needsOldValue: true);
    }

    /// <summary><c>this = this ^ exponent</c>, <c>tensor.pow_(exponent)</c>.</summary>
    public Tensor PowInPlace(Scalar exponent)
    {
        using var scope = Profiler.Op("aten::pow_", this);
        return InPlace(t => t.Pow(exponent), needsOldValue: true);
    }

    /// <summary><c>this = this ^ exponent</c> elementwise, <c>tensor.pow_(exponent)</c>.</summary>
    public Tensor PowInPlace(Tensor exponent)
    {
        using var scope = Profiler.Op("aten::pow_", this, exponent);
        return InPlace(t => t.Pow(exponent), exponent, needsOldValue: true);
    }

    /// <summary><c>this = floor(this)</c>, <c>tensor.floor_()</c>.</summary>
    public Tensor FloorInPlace()
    {
        using var scope = Profiler.Op("aten::floor_", this);
        return InPlace(t => t.Floor());
    }

    /// <summary><c>this = ceil(this)</c>, <c>tensor.ceil_()</c>.</summary>
    public Tensor CeilInPlace()
    {
        using var scope = Profiler.Op("aten::ceil_", this);
        return InPlace(t => t.Ceil());
    }

    /// <summary><c>this = round(this)</c>, <c>tensor.round_()</c>.</summary>
    public Tensor RoundInPlace()
    {
        using var scope = Profiler.Op("aten::round_", this);
        return InPlace(t => t.Round());
    }
}
