using SharpGrad.Autograd;

namespace SharpGrad.Tests.Autograd;

// Note [Engine state]: a run keeps its bookkeeping on the nodes it claims, or in dictionaries when
// another run owns part of the graph; both give the same gradients, and claims never outlive a run.
public class EngineStateTests
{
    private static (Tensor X, Tensor W, Tensor Loss) Graph()
    {
        var x = Torch.Tensor(new[] { 0.5, -1.25, 2.0 }, requiresGrad: true);
        var w = Torch.Tensor(new[] { 1.5, 0.25, -0.75 }, requiresGrad: true);
        var h = (x * w + x.Sin()) * 2 - w.Exp();
        var parts = h.Split(1);
        var loss = (parts[0] * parts[2] + parts[1]).Sum() + h.Mean();
        return (x, w, loss);
    }

    [Fact]
    public void The_dictionary_fallback_gives_the_gradients_of_the_node_state_path()
    {
        var (x, w, loss) = Graph();
        var fast = Torch.Autograd.Grad(loss, [x, w], retainGraph: true);
        // Another run owns the root node: this run must keep its state in dictionaries.
        var root = loss.GradFn!;
        root.EngineOwner = -42;
        try
        {
            var slow = Torch.Autograd.Grad(loss, [x, w], retainGraph: true);
            Assert.Equal(fast[0]!.ToArray<double>(), slow[0]!.ToArray<double>());
            Assert.Equal(fast[1]!.ToArray<double>(), slow[1]!.ToArray<double>());
            Assert.Equal(-42, root.EngineOwner); // a claim the run did not make is left alone
        }
        finally
        {
            root.EngineOwner = 0;
        }
    }

    [Fact]
    public void A_run_releases_every_node_it_claimed_even_when_a_backward_fails()
    {
        var (x, w, loss) = Graph();
        loss.Backward();
        var error = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Equal(SavedTensor.FreedMessage, error.Message);
        var nodes = new List<Node>();
        var stack = new Stack<Node>([loss.GradFn!]);
        while (stack.TryPop(out var n))
        {
            if (nodes.Contains(n)) continue;
            nodes.Add(n);
            foreach (var (next, _) in n.NextFunctions) if (next is not null) stack.Push(next);
        }
        Assert.All(nodes, n =>
        {
            Assert.Equal(0, n.EngineOwner);
            Assert.Null(n.EngineGrad);
            Assert.Null(n.EngineBuffer);
        });
        // The leaves' accumulators are free for the next graph.
        var g = (x * w).Sum();
        x.Grad = null;
        g.Backward();
        Assert.Equal(w.ToArray<double>(), x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Threads_running_backward_over_one_shared_graph_get_the_same_gradients()
    {
        var (x, w, loss) = Graph();
        var expected = Torch.Autograd.Grad(loss, [x, w], retainGraph: true);
        var results = new Tensor?[8][];
        using var barrier = new Barrier(2);
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            barrier.SignalAndWait();
            for (int i = t; i < results.Length; i += 2) results[i] = Torch.Autograd.Grad(loss, [x, w], retainGraph: true);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.All(results, r =>
        {
            Assert.Equal(expected[0]!.ToArray<double>(), r[0]!.ToArray<double>());
            Assert.Equal(expected[1]!.ToArray<double>(), r[1]!.ToArray<double>());
        });
    }
}
