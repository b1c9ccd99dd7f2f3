using SharpGrad.Autograd;
using static SharpGrad.Tests.AutogradDepth.HookTests;

namespace SharpGrad.Tests.AutogradDepth;

[Collection("WarningTests")] // the warning sink is process-wide: run alone
public class ModeTests
{
    [Fact]
    public void Anomaly_detection_reports_nan_with_the_forward_stack_trace()
    {
        var warnings = new List<string>();
        var sink = Torch.WarningSink;
        Torch.WarningSink = warnings.Add;
        try
        {
            using (Torch.Autograd.DetectAnomaly())
            {
                Assert.True(Torch.Autograd.IsAnomalyEnabled());
                var a = Torch.Tensor(new[] { 0f, 1f }, requiresGrad: true);
                var b = a / a;
                var e = Assert.Throws<AnomalyException>(() => b.Sum().Backward());
                Assert.Equal(G.GetProperty("anomaly").GetProperty("nan_error").GetString(), e.Message);
                Assert.Contains(nameof(Anomaly_detection_reports_nan_with_the_forward_stack_trace), e.ForwardStackTrace);
                Assert.Contains(warnings, w => w.StartsWith("UserWarning: Error detected in DivBackward0. Traceback of forward call that caused the error:"));
            }
            Assert.False(Torch.Autograd.IsAnomalyEnabled());
            var c = Torch.Tensor(new[] { 0f, 1f }, requiresGrad: true);
            (c / c).Sum().Backward(); // no check outside the scope
            Assert.True(float.IsNaN(c.Grad!.ToArray<float>()[0]));
        }
        finally
        {
            Torch.WarningSink = sink;
        }
    }

    [Fact]
    public void Inference_mode_makes_inference_tensors_with_PyTorch_rules()
    {
        var want = G.GetProperty("inference");
        Tensor i;
        using (Torch.InferenceMode())
        {
            i = Torch.Ones(3);
            bool[] inside = [i.IsInference(), Torch.IsInferenceModeEnabled(), Torch.IsGradEnabled(), (i * 2).RequiresGrad];
            Assert.Equal(want.GetProperty("inside").EnumerateArray().Select(e => e.GetBoolean()), inside);
        }
        bool[] outside = [i.IsInference(), Torch.IsInferenceModeEnabled(), Torch.Ones(2).IsInference()];
        Assert.Equal(want.GetProperty("outside").EnumerateArray().Select(e => e.GetBoolean()), outside);
        var w = Torch.Ones(3, requiresGrad: true);
        var errors = want.GetProperty("errors");
        Assert.Equal(errors.GetProperty("save").GetString(), Record.Exception(() => (w * i).Sum().Backward())!.Message);
        Assert.Equal(errors.GetProperty("in_place").GetString(), Record.Exception(() => i.AddInPlace(1))!.Message);
        Assert.Equal(errors.GetProperty("requires_grad").GetString(), Record.Exception(() => i.SetRequiresGrad())!.Message);
        (w + i).Sum().Backward();
        Assert.Equal(D(want.GetProperty("add_ok_grad")), w.Grad!.ToArray<float>().Select(v => (double)v));
    }

    [Fact]
    public void Saved_tensor_hooks_pack_and_unpack_every_saved_tensor()
    {
        var want = G.GetProperty("saved_hooks");
        int packed = 0, unpacked = 0;
        var x = X3();
        Tensor y;
        using (Torch.Autograd.Graph.SavedTensorsHooks(t => { packed++; return t.Clone() * 1; }, o => { unpacked++; return (Tensor)o; }))
            y = (x * x).Exp();
        y.Sum().Backward();
        Assert.Equal(want.GetProperty("packed").GetInt32(), packed);
        Assert.Equal(want.GetProperty("unpacked").GetInt32(), unpacked);
        AssertClose(D(want.GetProperty("grad")), x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Checkpoint_recomputes_in_backward_with_correct_gradients()
    {
        var want = G.GetProperty("checkpoint");
        var x = X3();
        var w = Torch.Tensor(new[] { 0.5, 1.5, -1.0 }, requiresGrad: true);
        var y = Torch.Utils.Checkpoint(t => (t[0] * w).Exp().Sin(), x);
        Assert.Equal(want.GetProperty("name").GetString(), y.GradFn!.Name);
        y.Sum().Backward();
        AssertClose(D(want.GetProperty("x_grad")), x.Grad!.ToArray<double>());
        AssertClose(D(want.GetProperty("w_grad")), w.Grad!.ToArray<double>());
    }

    [Fact]
    public void Checkpoint_keeps_far_less_memory_alive_than_the_plain_graph()
    {
        static Tensor Deep(Tensor[] t)
        {
            var h = t[0];
            for (int i = 0; i < 20; i++) h = (h * 1.01).Sin();
            return h;
        }
        // The bytes of the distinct tensors the graph keeps for backward (what it holds alive).
        static long Held(Tensor output)
        {
            var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
            var storages = new HashSet<object>(ReferenceEqualityComparer.Instance);
            long bytes = 0;
            var stack = new Stack<Node>([output.GradFn!]);
            while (stack.TryPop(out var node))
            {
                if (!seen.Add(node)) continue;
                foreach (var saved in node.SavedTensors)
                    if (!saved.IsReleased && storages.Add(saved.Unpack().Storage)) bytes += saved.Unpack().Numel * 8L;
                foreach (var (next, _) in node.NextFunctions) if (next is not null) stack.Push(next);
            }
            return bytes;
        }
        var x = Torch.Rand([250_000], DType.Float64).SetRequiresGrad(true);
        long plain = Held(Deep([x]).Sum());
        long checkpointed = Held(Torch.Utils.Checkpoint(Deep, x).Sum());
        // Plain keeps every Sin input (20 x 2 MB); the checkpoint keeps only its input.
        Assert.Equal(20 * 250_000 * 8L, plain);
        Assert.Equal(250_000 * 8L, checkpointed);
    }
}
