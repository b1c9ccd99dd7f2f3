using T = SharpGrad.Tensor;

namespace SharpGrad;

// The torch.xxx free-function forms of the pointwise ops; each forwards to the Tensor method.
public static partial class Torch
{
    /// <summary><c>out = sqrt(input)</c>; <c>torch.sqrt</c>.</summary>
    public static T Sqrt(T input) => input.Sqrt();
    /// <summary><c>out = 1 / sqrt(input)</c>; <c>torch.rsqrt</c>.</summary>
    public static T Rsqrt(T input) => input.Rsqrt();
    /// <summary><c>out = ln(input)</c>; <c>torch.log</c>.</summary>
    public static T Log(T input) => input.Log();
    /// <summary><c>out = sin(input)</c>; <c>torch.sin</c>.</summary>
    public static T Sin(T input) => input.Sin();
    /// <summary><c>out = cos(input)</c>; <c>torch.cos</c>.</summary>
    public static T Cos(T input) => input.Cos();
    /// <summary><c>out = tanh(input)</c>; <c>torch.tanh</c>.</summary>
    public static T Tanh(T input) => input.Tanh();
    /// <summary><c>out = 1 / (1 + exp(-input))</c>; <c>torch.sigmoid</c>.</summary>
    public static T Sigmoid(T input) => input.Sigmoid();
    /// <summary><c>out = max(input, 0)</c>; <c>torch.relu</c>.</summary>
    public static T Relu(T input) => input.Relu();
    /// <summary><c>out = |input|</c>; <c>torch.abs</c>.</summary>
    public static T Abs(T input) => input.Abs();
    /// <summary><c>out = sign(input)</c>; <c>torch.sign</c>.</summary>
    public static T Sign(T input) => input.Sign();
    /// <summary><c>out = input * input</c>; <c>torch.square</c>.</summary>
    public static T Square(T input) => input.Square();
    /// <summary><c>out = ln(1 + input)</c>; <c>torch.log1p</c>.</summary>
    public static T Log1p(T input) => input.Log1p();
    /// <summary><c>out = exp(input) - 1</c>; <c>torch.expm1</c>.</summary>
    public static T Expm1(T input) => input.Expm1();
    /// <summary><c>out = floor(input)</c>; <c>torch.floor</c>.</summary>
    public static T Floor(T input) => input.Floor();
    /// <summary><c>out = ceil(input)</c>; <c>torch.ceil</c>.</summary>
    public static T Ceil(T input) => input.Ceil();
    /// <summary><c>out = round(input)</c> (halves to even); <c>torch.round</c>.</summary>
    public static T Round(T input) => input.Round();

    /// <summary><c>out = min(max(input, min), max)</c>; <c>torch.clamp</c> (alias <c>torch.clip</c>).</summary>
    public static T Clamp(T input, Scalar? min = null, Scalar? max = null) => input.Clamp(min, max);
    /// <summary><c>out = min(max(input, min), max)</c> with tensor bounds; <c>torch.clamp</c>.</summary>
    public static T Clamp(T input, T? min = null, T? max = null) => input.Clamp(min, max);
    /// <summary><c>out = max(input, min)</c>; <c>torch.clamp_min</c>.</summary>
    public static T ClampMin(T input, Scalar min) => input.ClampMin(min);
    /// <summary><c>out = min(input, max)</c>; <c>torch.clamp_max</c>.</summary>
    public static T ClampMax(T input, Scalar max) => input.ClampMax(max);
    /// <summary><c>out = max(input, other)</c> elementwise; <c>torch.maximum</c>.</summary>
    public static T Maximum(T input, T other) => input.Maximum(other);
    /// <summary><c>out = min(input, other)</c> elementwise; <c>torch.minimum</c>.</summary>
    public static T Minimum(T input, T other) => input.Minimum(other);
}
