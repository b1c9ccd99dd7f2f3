namespace SharpGrad;

public static partial class Torch
{
    public static partial class NN
    {
        public static partial class Functional
        {
            internal const string SigmoidDeprecatedText = "UserWarning: nn.functional.sigmoid is deprecated. Use torch.sigmoid instead.";
            internal const string TanhDeprecatedText = "UserWarning: nn.functional.tanh is deprecated. Use torch.tanh instead.";

            /// <summary><c>out = max(input, 0)</c>, <c>torch.nn.functional.relu</c>: <see cref="Tensor.Relu"/>.</summary>
            public static Tensor Relu(Tensor input) => input.Relu();

            /// <summary><c>out = 1 / (1 + exp(-input))</c>, <c>torch.nn.functional.sigmoid</c>: <see cref="Tensor.Sigmoid"/>.</summary>
            /// <remarks>As in PyTorch 1.13, the first call writes its deprecation UserWarning to <see cref="WarningSink"/>.</remarks>
            public static Tensor Sigmoid(Tensor input)
            {
                WarnOnce(SigmoidDeprecatedText);
                return input.Sigmoid();
            }

            /// <summary><c>out = tanh(input)</c>, <c>torch.nn.functional.tanh</c>: <see cref="Tensor.Tanh"/>.</summary>
            /// <remarks>As in PyTorch 1.13, the first call writes its deprecation UserWarning to <see cref="WarningSink"/>.</remarks>
            public static Tensor Tanh(Tensor input)
            {
                WarnOnce(TanhDeprecatedText);
                return input.Tanh();
            }
        }
    }
}
