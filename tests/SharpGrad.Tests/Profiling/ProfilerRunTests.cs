using System.Text.Json;
using SharpGrad.Profiling;
using static SharpGrad.Torch;

namespace SharpGrad.Tests.Profiling;

/// <summary>
/// A profile records every op of the process, so the tests that run one sit in a collection that
/// runs alone, after the parallel tests (the Tour's profiler cell still runs in parallel with other
/// tests: its output is not compared).
/// </summary>
[CollectionDefinition("Profiler", DisableParallelization = true)]
public sealed class ProfilerCollection;

/// <summary>Real profiles: what ops, backward nodes and user ranges record, and what the reports show.</summary>
[Collection("Profiler")]
public class ProfilerRunTests
{
    private static int Me => Environment.CurrentManagedThreadId;

    private static List<FunctionEvent> TopLevel(Profile prof) =>
        prof.FunctionEvents.Where(e => e.Thread == Me && e.CpuParent is null).ToList();

    [Fact]
    public void Seed_cell_records_exactly_1000_div_and_1000_mul()
    {
        var x = Randn(2, 3, requiresGrad: true);
        var y = Rand(2, 3, requiresGrad: true);
        var z = Ones(2, 3, requiresGrad: true);
        Profile prof;
        using (prof = Torch.Autograd.Profiler.Profile())
            for (int i = 0; i < 1000; i++) z = (z / x) * y;

        var top = TopLevel(prof);
        Assert.Equal(2000, top.Count);
        for (int i = 0; i < top.Count; i++) Assert.Equal(i % 2 == 0 ? "aten::div" : "aten::mul", top[i].Name);
        Assert.All(top, e => Assert.Empty(e.CpuChildren));

        var rows = prof.KeyAverages().Where(r => r.Key is "aten::div" or "aten::mul").ToList();
        Assert.Equal([1000, 1000], rows.Select(r => r.Count));
        string table = prof.KeyAverages().Table(sortBy: "self_cpu_time_total");
        var lines = table.Split('\n');
        Assert.Equal("-------------  ------------  ------------  ------------  ------------  ------------  ------------  ", lines[0]);
        Assert.Equal("         Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg    # of Calls  ", lines[1]);
        Assert.Matches(@"^    aten::(div|mul) +\d+\.\d\d% +\d+\.\d{3}(us|ms|s) +\d+\.\d\d% +\d+\.\d{3}(us|ms|s) +\d+\.\d{3}(us|ms|s) +1000  $", lines[3]);
        Assert.StartsWith("Self CPU time total: ", lines[^2]);
        Assert.Equal("", lines[^1]);
    }

    [Fact]
    public void RecordFunction_ranges_nest_and_self_time_excludes_children()
    {
        var a = Ones(2, 3);
        var b = Ones(2, 3);
        Profile prof;
        using (prof = Torch.Autograd.Profiler.Profile())
        {
            using (Torch.Autograd.Profiler.RecordFunction("outer"))
            {
                using (Torch.Autograd.Profiler.RecordFunction("inner"))
                    _ = a * b;
                _ = a + b;
            }
        }
        var outer = Assert.Single(TopLevel(prof));
        Assert.Equal("outer", outer.Name);
        Assert.Equal(7, outer.Scope);
        Assert.Equal(["inner", "aten::add"], outer.CpuChildren.Select(c => c.Name));
        var inner = outer.CpuChildren[0];
        Assert.Equal("aten::mul", Assert.Single(inner.CpuChildren).Name);
        foreach (var e in new[] { outer, inner })
        {
            Assert.Equal(e.CpuTimeTotal - e.CpuChildren.Sum(c => c.CpuTimeTotal), e.SelfCpuTimeTotal, 9);
            Assert.True(e.SelfCpuTimeTotal >= 0);
            foreach (var child in e.CpuChildren)
            {
                Assert.Same(e, child.CpuParent);
                Assert.InRange(child.StartUs, e.StartUs, e.EndUs);
                Assert.InRange(child.EndUs, child.StartUs, e.EndUs);
            }
        }
        var avg = prof.KeyAverages().Single(r => r.Key == "outer");
        Assert.Equal(outer.SelfCpuTimeTotal, avg.SelfCpuTimeTotal);
    }

    [Fact]
    public void Backward_nodes_are_recorded_inside_the_engines_evaluate_function()
    {
        var x = Ones(2, 3, requiresGrad: true);
        var y = Ones(2, 3, requiresGrad: true);
        var loss = (x * y).Sum();
        Profile prof;
        using (prof = Torch.Autograd.Profiler.Profile(recordShapes: true))
            loss.Backward();

        // PyTorch 1.13 records, for each node the engine runs, an evaluate_function range with the
        // node's own range (scope 1, the gradient shapes) inside it, and the node's ops inside that.
        var top = TopLevel(prof);
        var names = top.Select(e => e.Name).ToList();
        Assert.Equal("autograd::engine::evaluate_function: SumBackward0", names[0]);
        Assert.Equal("autograd::engine::evaluate_function: MulBackward0", names[1]);
        Assert.Equal(2, names.Count(n => n == "autograd::engine::evaluate_function: torch::autograd::AccumulateGrad"));
        Assert.Equal(4, top.Count);

        var sum = top[0].CpuChildren.Single(c => c.Name == "SumBackward0");
        Assert.Equal(1, sum.Scope);
        Assert.Equal([[]], sum.InputShapes);
        Assert.Equal(loss.GradFn!.SequenceNr, sum.SequenceNr);
        Assert.Contains("aten::expand", sum.CpuChildren.Select(c => c.Name));

        var mul = top[1].CpuChildren.Single(c => c.Name == "MulBackward0");
        Assert.Equal([[2, 3]], mul.InputShapes);
        Assert.Equal(["aten::mul", "aten::mul"], mul.CpuChildren.Select(c => c.Name));
        Assert.All(mul.CpuChildren, c => Assert.Equal([[2, 3], [2, 3]], c.InputShapes));

        var accumulate = top[2].CpuChildren.Single();
        Assert.Equal("torch::autograd::AccumulateGrad", accumulate.Name);

        var averages = prof.KeyAverages();
        Assert.Equal(2, averages.Single(r => r.Key == "torch::autograd::AccumulateGrad").Count);
        Assert.Contains("autograd::engine::evaluate_function: MulBackward0", averages.Table());
    }

    [Fact]
    public void Memory_columns_count_allocated_bytes_self_excludes_children()
    {
        var a = Ones(2, 3);
        var b = Ones(2, 3, dtype: DType.Float64);
        Profile prof;
        using (prof = Torch.Autograd.Profiler.Profile(profileMemory: true))
        {
            using (Torch.Autograd.Profiler.RecordFunction("range"))
            {
                _ = a * a;      // 6 float32: 24 bytes
                _ = b + b;      // 6 float64: 48 bytes
                _ = a.View(6);  // a view allocates nothing
            }
        }
        var range = Assert.Single(TopLevel(prof));
        Assert.Equal(72, range.CpuMemoryUsage);
        Assert.Equal(0, range.SelfCpuMemoryUsage);
        Assert.Equal([24L, 48L, 0L], range.CpuChildren.Select(c => c.CpuMemoryUsage));

        var avg = prof.KeyAverages();
        Assert.Equal(72, avg.Single(r => r.Key == "range").CpuMemoryUsage);
        Assert.Equal(0, avg.Single(r => r.Key == "range").SelfCpuMemoryUsage);
        string table = avg.Table(sortBy: "cpu_memory_usage");
        var lines = table.Split('\n');
        // The name column is as wide as "aten::view" plus 4.
        Assert.Equal("          Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg       CPU Mem  Self CPU Mem    # of Calls  ", lines[1]);
        Assert.StartsWith("         range  ", lines[3]);
        Assert.EndsWith("          72 b           0 b             1  ", lines[3]);
        Assert.EndsWith("          48 b          48 b             1  ", lines[4]);
    }

    [Fact]
    public void Allocations_outside_any_range_are_memory_events_and_not_recorded_without_profileMemory()
    {
        Profile prof;
        using (prof = Torch.Autograd.Profiler.Profile(profileMemory: true))
            _ = Torch.Zeros(4); // factories are not ops here: 16 bytes outside any range
        var memory = TopLevel(prof).Single(e => e.Name == "[memory]");
        Assert.Equal(16, memory.CpuMemoryUsage);
        Assert.Equal(0, memory.CpuTimeTotal);

        var a = Ones(2, 3);
        using (prof = Torch.Autograd.Profiler.Profile())
            _ = a * a;
        Assert.Equal(0, Assert.Single(TopLevel(prof)).CpuMemoryUsage);
    }

    [Fact]
    public void Input_shapes_group_key_averages()
    {
        var a = Ones(2, 3);
        var c = Ones(3);
        Profile prof;
        using (prof = Torch.Autograd.Profiler.Profile(recordShapes: true))
        {
            _ = a * a;
            _ = a * c;
            _ = a * a;
        }
        var rows = prof.KeyAverages(groupByInputShape: true).Where(r => r.Key == "aten::mul").ToList();
        Assert.Equal([2, 1], rows.Select(r => r.Count));
        Assert.Equal("[[2, 3], [3]]", ProfilerFormat.Shapes(rows[1].InputShapes));
        string table = prof.KeyAverages(groupByInputShape: true).Table();
        Assert.Contains("  Input Shapes  ", table);
        Assert.Contains("  [[2, 3], [2, 3]]  ", table);
        Assert.DoesNotContain("Input Shapes", prof.KeyAverages().Table());
    }

    [Fact]
    public void An_op_calling_its_own_overload_is_one_event()
    {
        var a = Ones(2, 3);
        Profile prof;
        using (prof = Torch.Autograd.Profiler.Profile())
        {
            _ = a + 2; // Add(Scalar) runs Add(Tensor): PyTorch folds the duplicate (_remove_dup_nodes)
            _ = a.Square(); // aten::square runs aten::pow
        }
        var top = TopLevel(prof);
        Assert.Equal(["aten::add", "aten::square"], top.Select(e => e.Name));
        Assert.Empty(top[0].CpuChildren);
        Assert.Equal("aten::pow", Assert.Single(top[1].CpuChildren).Name);
    }

    [Fact]
    public void Events_from_every_thread_are_recorded()
    {
        var a = Ones(2, 3);
        Profile prof;
        var ids = new int[4];
        using (prof = Torch.Autograd.Profiler.Profile())
        {
            var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            {
                ids[t] = Environment.CurrentManagedThreadId;
                using (Torch.Autograd.Profiler.RecordFunction($"worker{t}"))
                    for (int i = 0; i < 200; i++) _ = a * a;
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
        }
        for (int t = 0; t < 4; t++)
        {
            var mine = prof.FunctionEvents.Where(e => e.Thread == ids[t]).ToList();
            var range = Assert.Single(mine, e => e.CpuParent is null);
            Assert.Equal($"worker{t}", range.Name);
            Assert.Equal(200, range.CpuChildren.Count);
            Assert.All(range.CpuChildren, c => Assert.Equal("aten::mul", c.Name));
            Assert.Equal(201, mine.Count);
        }
        Assert.Equal(800, prof.KeyAverages().Single(r => r.Key == "aten::mul").Count);
    }

    [Fact]
    public void Chrome_trace_nests_children_inside_parents()
    {
        var a = Ones(2, 3, requiresGrad: true);
        Profile prof;
        using (prof = Torch.Autograd.Profiler.Profile(recordShapes: true))
        {
            using (Torch.Autograd.Profiler.RecordFunction("step"))
            {
                var loss = (a * a).Sum();
                loss.Backward();
            }
        }
        string path = Path.Combine(Path.GetTempPath(), $"sharpgrad-trace-{Guid.NewGuid():N}.json");
        try
        {
            prof.ExportChromeTrace(path);
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray()
                .Where(e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("tid").GetInt64() == Me).ToList();
            var recorded = prof.FunctionEvents.Where(e => e.Thread == Me).ToList();
            Assert.True(events.Count >= recorded.Count); // the trace keeps folded duplicates too
            foreach (var e in events)
            {
                Assert.False(string.IsNullOrEmpty(e.GetProperty("name").GetString()));
                Assert.Equal(Environment.ProcessId, e.GetProperty("pid").GetInt32());
                Assert.True(e.GetProperty("dur").GetDouble() >= 0);
                Assert.Equal(JsonValueKind.Array, e.GetProperty("args").GetProperty("Input Dims").ValueKind);
            }
            var step = events.Single(e => e.GetProperty("name").GetString() == "step");
            double start = step.GetProperty("ts").GetDouble(), end = start + step.GetProperty("dur").GetDouble();
            var stepEvent = recorded.Single(e => e.Name == "step");
            Assert.Equal(stepEvent.CpuTimeTotal, step.GetProperty("dur").GetDouble(), 2);
            foreach (var e in events)
            {
                double ts = e.GetProperty("ts").GetDouble(), dur = e.GetProperty("dur").GetDouble();
                Assert.InRange(ts, start, end);
                Assert.InRange(ts + dur, start, end + 1e-9);
            }
            // Every recorded parent/child pair nests in the trace too.
            var byName = events.GroupBy(e => e.GetProperty("name").GetString()!).ToDictionary(g => g.Key, g => g.ToList());
            var mul = byName["aten::mul"][0];
            Assert.Equal("[[2,3],[2,3]]", mul.GetProperty("args").GetProperty("Input Dims").GetRawText());
            var node = byName["MulBackward0"].Single();
            var evaluate = byName["autograd::engine::evaluate_function: MulBackward0"].Single();
            Assert.InRange(node.GetProperty("ts").GetDouble(), evaluate.GetProperty("ts").GetDouble(),
                evaluate.GetProperty("ts").GetDouble() + evaluate.GetProperty("dur").GetDouble());
            Assert.True(node.GetProperty("args").GetProperty("Sequence number").GetInt64() > 0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Misuse_gives_PyTorchs_errors()
    {
        var prof = Torch.Autograd.Profiler.Profile();
        try
        {
            Assert.Equal("<unfinished torch.autograd.profile>", prof.ToString());
            var e = Assert.Throws<InvalidOperationException>(() => { Torch.Autograd.Profiler.Profile(); });
            Assert.Equal("Profiler is already enabled on this thread.", e.Message);
            e = Assert.Throws<InvalidOperationException>(() => prof.KeyAverages());
            Assert.Equal("Profiler didn't finish running", e.Message);
        }
        finally
        {
            prof.Dispose();
        }
        prof.Dispose(); // a second Dispose is harmless
        Assert.Equal("", prof.KeyAverages().Table());
        Assert.Null(SharpGrad.Profiler.Active);
    }

    [Fact]
    public void A_disabled_profile_records_nothing()
    {
        var a = Ones(2);
        using (var prof = Torch.Autograd.Profiler.Profile(enabled: false))
        {
            Assert.Null(SharpGrad.Profiler.Active);
            _ = a * a;
        }
    }

    [Fact]
    public void Profiling_off_costs_no_allocation()
    {
        var a = Ones(2, 3);
        var node = (a.SetRequiresGrad(true) * 2).GradFn!;
        Tensor?[] grads = [a];
        IReadOnlyList<Tensor?> list = [a, a];
        int[] sizes = [2, 3];
        Assert.Null(SharpGrad.Profiler.Active);
        long allocated = 0;
        for (int round = 0; round < 3; round++) // the first rounds may JIT
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                using (SharpGrad.Profiler.Op("aten::mul", a, a)) { }
                using (SharpGrad.Profiler.Op("aten::where", a, a, a)) { }
                using (SharpGrad.Profiler.Op("aten::cat", null, list)) { }
                using (SharpGrad.Profiler.EvaluateFunction(node)) { }
                using (SharpGrad.Profiler.Node(node, grads)) { }
                using (Torch.Autograd.Profiler.RecordFunction("label")) { }
                SharpGrad.Profiler.Allocated(DType.Float32, sizes);
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.InRange(allocated, 0, 512); // one allocation per call would be 24 KB or more
    }
}
