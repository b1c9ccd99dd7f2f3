using System.Text.Json;
using SharpGrad.Profiling;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests.Profiling;

/// <summary>
/// The aggregation and table code against PyTorch 1.13's own profiler_util, fed the same synthetic
/// events (tests/golden/gen_profiler.py): nesting, folded duplicates, key averages, every sort key,
/// units, column limits, header, top-level filter, memory columns and input shapes.
/// </summary>
public class ProfilerTableTests
{
    private static readonly JsonElement Fixture = Golden.Load("profiler");

    public static IEnumerable<object[]> Cases() =>
        Fixture.GetProperty("cases").EnumerateArray().Select((c, i) => new object[]
            { i, c.GetProperty("name").GetString()!, c.GetProperty("profile_memory").GetBoolean() });

    private static (JsonElement Case, FunctionEventList List) Build(int index)
    {
        var c = Fixture.GetProperty("cases")[index];
        var events = new List<FunctionEvent>();
        int id = 0;
        foreach (var text in c.GetProperty("events").EnumerateArray())
        {
            var e = JsonDocument.Parse(text.GetString()!).RootElement;
            var shapes = e[4].EnumerateArray().Select(Golden.Ints).ToList();
            events.Add(new FunctionEvent(id++, e[0].GetString()!, e[1].GetInt64(), e[2].GetDouble(), e[3].GetDouble(),
                shapes, e[5].GetInt64()));
        }
        return (c, new FunctionEventList(events, c.GetProperty("profile_memory").GetBoolean()));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tree_matches_PyTorch(int index, string name, bool profileMemory)
    {
        var (c, list) = Build(index);
        Assert.Equal(Golden.Ints(c.GetProperty("remaining_ids")), list.Select(e => (int)e.Id).ToArray());
        var parents = c.GetProperty("parents").EnumerateArray()
            .Select(p => p.ValueKind == JsonValueKind.Null ? (long?)null : p.GetInt64()).ToArray();
        Assert.Equal(parents, list.Select(e => e.CpuParent?.Id).ToArray());
        Assert.Equal(c.GetProperty("self_cpu_time_total").GetDouble(), list.SelfCpuTimeTotal);
        var total = list.TotalAverage();
        var want = c.GetProperty("total_average");
        Assert.Equal(want.GetProperty("key").GetString(), total.Key);
        Assert.Equal(want.GetProperty("count").GetInt32(), total.Count);
        Assert.Equal(want.GetProperty("cpu_time_total").GetDouble(), total.CpuTimeTotal);
        Assert.Equal(want.GetProperty("self_cpu_time_total").GetDouble(), total.SelfCpuTimeTotal);
        Assert.Equal(want.GetProperty("cpu_memory_usage").GetInt64(), total.CpuMemoryUsage);
        Assert.NotNull(name);
        Assert.Equal(profileMemory, list.ProfileMemory);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tables_match_PyTorch(int index, string name, bool profileMemory)
    {
        var (c, list) = Build(index);
        var mismatches = new List<string>();
        int compared = 0;
        foreach (var view in c.GetProperty("views").EnumerateObject())
        {
            foreach (var table in view.Value.EnumerateArray())
            {
                var a = table.GetProperty("args");
                string? sortBy = a.GetProperty("sort_by").GetString();
                int rowLimit = a.GetProperty("row_limit").GetInt32();
                int? maxName = a.GetProperty("max_name_column_width") is { ValueKind: JsonValueKind.Number } n ? n.GetInt32() : null;
                int? maxShapes = a.GetProperty("max_shapes_column_width") is { ValueKind: JsonValueKind.Number } s ? s.GetInt32() : null;
                string? header = a.GetProperty("header").GetString();
                bool topLevel = a.GetProperty("top_level_events_only").GetBoolean();
                string got = view.Name switch
                {
                    "events" => list.Table(sortBy, rowLimit, maxName, maxShapes, header, topLevel),
                    "key_averages" => list.KeyAverages().Table(sortBy, rowLimit, maxName, maxShapes, header, topLevel),
                    "key_averages_by_shape" => list.KeyAverages(groupByInputShape: true).Table(sortBy, rowLimit, maxName, maxShapes, header, topLevel),
                    _ => throw new InvalidOperationException(view.Name),
                };
                string want = table.GetProperty("text").GetString()!;
                if (got != want) mismatches.Add($"[{name} memory={profileMemory} {view.Name} {a}]\n--- PyTorch:\n{want}\n--- SharpGrad:\n{got}");
                compared++;
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.True(compared >= 10);
    }

    [Fact]
    public void Seed_cell_table_is_the_tutorials()
    {
        int seed = Cases().Select(c => (int)c[0]).Single(i => Fixture.GetProperty("cases")[i].GetProperty("name").GetString() == "seed_cell");
        var (_, list) = Build(seed);
        Assert.Equal(
            "-------------  ------------  ------------  ------------  ------------  ------------  ------------  \n" +
            "         Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg    # of Calls  \n" +
            "-------------  ------------  ------------  ------------  ------------  ------------  ------------  \n" +
            "    aten::mul        53.32%       4.000ms        53.32%       4.000ms       4.000us          1000  \n" +
            "    aten::div        46.68%       3.502ms        46.68%       3.502ms       3.502us          1000  \n" +
            "-------------  ------------  ------------  ------------  ------------  ------------  ------------  \n" +
            "Self CPU time total: 7.502ms\n",
            list.KeyAverages().Table(sortBy: "self_cpu_time_total"));
    }

    [Fact]
    public void Empty_list_prints_nothing() =>
        Assert.Equal(Fixture.GetProperty("empty_table").GetString(),
            new FunctionEventList([], profileMemory: true).KeyAverages().Table(sortBy: "self_cpu_time_total"));

    [Fact]
    public void Unknown_sort_key_is_PyTorchs_attribute_error()
    {
        var list = new FunctionEventList([new FunctionEvent(0, "aten::mul", 1, 0, 1)]);
        var e = Assert.Throws<ArgumentException>(() => list.KeyAverages().Table(sortBy: "foo"));
        Assert.Equal("'FunctionEventAvg' object has no attribute 'foo'", e.Message);
        e = Assert.Throws<ArgumentException>(() => list.Table(sortBy: "self_cpu_time"));
        Assert.Equal("'FunctionEvent' object has no attribute 'self_cpu_time'", e.Message);
    }

    [Theory]
    [InlineData(0.0, "0.000us")]
    [InlineData(0.0005, "0.001us")] // the double just above 0.0005 rounds up, as in Python
    [InlineData(999.9994, "999.999us")]
    [InlineData(999.9996, "1000.000us")]
    [InlineData(1000.0, "1.000ms")]
    [InlineData(7502.0, "7.502ms")]
    [InlineData(1_000_000.0, "1.000s")]
    [InlineData(-17.0, "-17.000us")]
    public void Time_units_are_PyTorchs(double us, string text) => Assert.Equal(text, ProfilerFormat.Time(us));

    [Theory]
    [InlineData(0L, "0 b")]
    [InlineData(1023L, "1023 b")]
    [InlineData(-292L, "-292 b")]
    [InlineData(1024L, "1.00 Kb")]
    [InlineData(-55848L, "-54.54 Kb")]
    [InlineData(1048576L, "1.00 Mb")]
    [InlineData(3221225472L, "3.00 Gb")]
    public void Memory_units_are_PyTorchs(long bytes, string text) => Assert.Equal(text, ProfilerFormat.Memory(bytes));
}
