using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SharpGrad.Benchmarks;

/// <summary>
/// Entry point. Two modes:
/// <code>
/// SharpGrad.Benchmarks [--groups elementwise,overhead,...] [--summary results.json] [--list]
/// SharpGrad.Benchmarks --memory [--steps 10000] [--warmup 500] [--summary memory.json]
/// </code>
/// The first runs the BenchmarkDotNet classes (one per workload group, see <see cref="BenchConfig"/>)
/// and writes the median time per operation of every benchmark to the summary file; the second runs
/// the long training loop of <c>MemorySoak.cs</c> outside BenchmarkDotNet.
/// </summary>
/// <remarks>
/// Thread count: every group except <c>sgemm</c> is meant to run single-threaded, as the PyTorch side
/// (<c>torch.set_num_threads(1)</c>); bench/compare.sh runs this program with
/// <c>DOTNET_PROCESSOR_COUNT=1</c> for them. The <c>sgemm</c> group sets the thread count itself.
/// </remarks>
public static partial class Program
{
    /// <summary>Runs the mode the arguments ask for; returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        var options = Options.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        if (options.Memory)
        {
            bool ran = false;
            RunMemorySoak(options, ref ran);
            if (ran) return 0;
            Console.Error.WriteLine("memory soak not built: MemorySoak.cs needs ops not merged yet (see the csproj).");
            WriteSummary(options.SummaryPath, new JsonObject { ["memory"] = "not built" });
            return 3;
        }
        var groups = BenchmarkGroups();
        if (options.List)
        {
            foreach (var (name, type) in groups)
                Console.WriteLine($"{name}: {string.Join(", ", BenchmarkKeys(type))}");
            return 0;
        }
        var wanted = options.Groups ?? [.. groups.Keys];
        var types = new List<Type>();
        var notBuilt = new JsonArray();
        foreach (var g in wanted)
        {
            if (groups.TryGetValue(g, out var t)) types.Add(t);
            else
            {
                Console.Error.WriteLine($"group '{g}' is not built (its file is excluded in the csproj until its ops are merged).");
                notBuilt.Add(g);
            }
        }
        var summaries = types.Count == 0 ? [] : BenchmarkRunner.Run([.. types], BenchConfig.Create());
        var results = new JsonObject();
        foreach (var summary in summaries)
            foreach (var report in summary.Reports)
                results[Key(report.BenchmarkCase)] = Result(report);
        var available = new JsonArray();
        foreach (var t in types)
            foreach (var k in BenchmarkKeys(t)) available.Add(k);
        WriteSummary(options.SummaryPath, new JsonObject
        {
            ["processor_count"] = Environment.ProcessorCount,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["groups_not_built"] = notBuilt,
            ["benchmarks_built"] = available,
            ["results"] = results,
        });
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    /// <summary>Implemented in MemorySoak.cs; when that file is excluded, <paramref name="ran"/> stays false.</summary>
    static partial void RunMemorySoak(Options options, ref bool ran);

    private const string Usage =
        "usage: SharpGrad.Benchmarks [--groups g1,g2] [--summary file.json] [--list]\n" +
        "       SharpGrad.Benchmarks --memory [--steps N] [--warmup N] [--summary file.json]";

    /// <summary>Benchmark classes by group name: the class name without "Benchmarks", lower case.</summary>
    private static SortedDictionary<string, Type> BenchmarkGroups()
    {
        var groups = new SortedDictionary<string, Type>();
        foreach (var t in typeof(Program).Assembly.GetTypes())
            if (t.IsPublic && t.Name.EndsWith("Benchmarks", StringComparison.Ordinal) && BenchmarkKeys(t).Any())
                groups[t.Name[..^"Benchmarks".Length].ToLowerInvariant()] = t;
        return groups;
    }

    /// <summary>The workload names (the <c>Description</c> of each [Benchmark]) a class defines.</summary>
    private static IEnumerable<string> BenchmarkKeys(Type t) =>
        t.GetMethods()
         .Select(m => m.GetCustomAttribute<BenchmarkAttribute>())
         .Where(a => a is not null)
         .Select(a => a!.Description ?? "?");

    /// <summary>
    /// The key shared with bench/torch_workloads.py: the benchmark's description, then each parameter
    /// as <c>_name{value}</c> (e.g. <c>sgemm_n256_threads2</c>).
    /// </summary>
    private static string Key(BenchmarkDotNet.Running.BenchmarkCase bc) =>
        bc.Descriptor.WorkloadMethodDisplayInfo +
        string.Concat(bc.Parameters.Items.Select(p => $"_{p.Name.ToLowerInvariant()}{p.Value}"));

    private static JsonObject Result(BenchmarkReport report)
    {
        var stats = report.ResultStatistics;
        if (!report.Success || stats is null) return new JsonObject { ["status"] = "failed" };
        return new JsonObject
        {
            ["median_ns"] = stats.Median,
            ["mean_ns"] = stats.Mean,
            ["min_ns"] = stats.Min,
            ["max_ns"] = stats.Max,
            ["n"] = stats.N,
            ["allocated_bytes_per_op"] = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase),
        };
    }

    internal static void WriteSummary(string? path, JsonObject summary)
    {
        var text = summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        if (path is null) Console.WriteLine(text);
        else File.WriteAllText(path, text);
    }
}

/// <summary>Command-line options of <see cref="Program"/>.</summary>
internal sealed class Options
{
    public bool Memory { get; private set; }
    public bool List { get; private set; }
    public string[]? Groups { get; private set; }
    public string? SummaryPath { get; private set; }
    public int Steps { get; private set; } = 10_000;
    public int Warmup { get; private set; } = 500;

    public static Options? Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--memory": o.Memory = true; break;
                case "--list": o.List = true; break;
                case "--groups":
                    if (Next() is not { } g) return null;
                    o.Groups = g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                case "--summary":
                    if (Next() is not { } s) return null;
                    o.SummaryPath = s;
                    break;
                case "--steps":
                    if (!int.TryParse(Next(), out var steps) || steps <= 0) return null;
                    o.Steps = steps;
                    break;
                case "--warmup":
                    if (!int.TryParse(Next(), out var warm) || warm < 0) return null;
                    o.Warmup = warm;
                    break;
                default: return null;
            }
        }
        return o;
    }
}
