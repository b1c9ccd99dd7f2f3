namespace SharpGrad;

// In-place forms of the pointwise ops (Note [In-place ops]). The stand-in copies the old values
// when the op's derivative reads its input (sin, log, abs, clamp, pow...); ops whose derivative
// reads only their result (sqrt, tanh, sigmoid, relu...) use an alias.
public sealed partial class Tensor
{
    /// <summary><c>this = sqrt(this)</c>, <c>tensor.sqrt_()</c>.</summary>
    public Tensor SqrtInPlace() => InPlace(t => t.Sqrt());

    /// <summary><c>this = 1 / sqrt(this)</c>, <c>tensor.rsqrt_()</c>.</summary>
    public Tensor RsqrtInPlace() => InPlace(t => t.Rsqrt());

    /// <summary><c>this = log(this)</c>, <c>tensor.log_()</c>.</summary>
    public Tensor LogInPlace() => InPlace(t => t.Log(), needsOldValue: true);

    /// <summary><c>this = sin(this)</c>, <c>tensor.sin_()</c> / <c>torch.sin_(t)</c>.</summary>
    public Tensor SinInPlace() => InPlace(t => t.Sin(), needsOldValue: true);

    /// <summary><c>this = cos(this)</c>, <c>tensor.cos_()</c>.</summary>
    public Tensor CosInPlace() => InPlace(t => t.Cos(), needsOldValue: true);

    /// <summary><c>this = tanh(this)</c>, <c>tensor.tanh_()</c>.</summary>
    public Tensor TanhInPlace() => InPlace(t => t.Tanh());

    /// <summary><c>this = sigmoid(this)</c>, <c>tensor.sigmoid_()</c>.</summary>
    public Tensor SigmoidInPlace() => InPlace(t => t.Sigmoid());

    /// <summary><c>this = max(this, 0)</c>, <c>tensor.relu_()</c>.</summary>
    public Tensor ReluInPlace() => InPlace(t => t.Relu());

    /// <summary><c>this = |this|</c>, <c>tensor.abs_()</c>.</summary>
    public Tensor AbsInPlace() => InPlace(t => t.Abs(), needsOldValue: true);

    /// <summary><c>this = log(1 + this)</c>, <c>tensor.log1p_()</c>.</summary>
    public Tensor Log1pInPlace() => InPlace(t => t.Log1p(), needsOldValue: true);

    /// <summary><c>this = exp(this) - 1</c>, <c>tensor.expm1_()</c>.</summary>
    public Tensor Expm1InPlace() => InPlace(t => t.Expm1());

    /// <summary><c>this = min(max(this, min), max)</c>, <c>tensor.clamp_(min, max)</c>.</summary>
    public Tensor ClampInPlace(Scalar? min = null, Scalar? max = null) => InPlace(t => t.Clamp(min, max), needsOldValue: true);

    /// <summary><c>this = max(this, min)</c>, <c>tensor.clamp_min_(min)</c>.</summary>
    public Tensor ClampMinInPlace(Scalar min) => InPlace(t => t.ClampMin(min), needsOldValue: true);

    /// <summary><c>this = min(this, max)</c>, <c>tensor.clamp_max_(max)</c>.</summary>
    public Tensor ClampMaxInPlace(Scalar max) => InPlace(t => t.ClampMax(max), needsOldValue: true);

    /// <summary><c>this = this ^ exponent</c>, <c>tensor.pow_(exponent)</c>.</summary>
    public Tensor PowInPlace(Scalar exponent) => InPlace(t => t.Pow(exponent), needsOldValue: true);

    /// <summary><c>this = this ^ exponent</c> elementwise, <c>tensor.pow_(exponent)</c>.</summary>
    public Tensor PowInPlace(Tensor exponent) => InPlace(t => t.Pow(exponent), exponent, needsOldValue: true);

    /// <summary><c>this = floor(this)</c>, <c>tensor.floor_()</c>.</summary>
    public Tensor FloorInPlace() => InPlace(t => t.Floor());

    /// <summary><c>this = ceil(this)</c>, <c>tensor.ceil_()</c>.</summary>
    public Tensor CeilInPlace() => InPlace(t => t.Ceil());

    /// <summary><c>this = round(this)</c>, <c>tensor.round_()</c>.</summary>
    public Tensor RoundInPlace() => InPlace(t => t.Round());
}
