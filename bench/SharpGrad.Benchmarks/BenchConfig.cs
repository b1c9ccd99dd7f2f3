using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using Perfolizer.Mathematics.OutlierDetection;

namespace SharpGrad.Benchmarks;

/// <summary>
/// The one BenchmarkDotNet configuration: a short in-process job so that bench/compare.sh stays well
/// under fifteen minutes on a noisy two-core machine.
/// </summary>
/// <remarks>
/// Note [Short job]: one launch, 12 warm-up and 7 measured iterations of about 150 ms each (a
/// workload slower than that runs once per iteration); we quote the median of all 7 (no outlier
/// removal), which is robust to the other core's noise. The warm-up is long on purpose: the
/// tiered JIT first runs code unoptimised (System.Numerics.Tensors ships IL only, so its generic
/// vector kernels start at tier 0 too), and on the loaded 2-core machine the vectorised kernels
/// needed about a second of calls to reach tier 1; before that `exp` of 1e6 floats took 13 ms
/// instead of 1.6 ms. With 3 warm-up iterations the medians were partly tier-0 times. In-process (no generated project to build) keeps the run short and
/// lets the parent's <c>DOTNET_PROCESSOR_COUNT</c> apply.
/// </remarks>
internal static class BenchConfig
{
    public static IConfig Create() =>
        ManualConfig.CreateEmpty()
            .AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(12)
                .WithIterationCount(7)
                .WithIterationTime(TimeInterval.FromMilliseconds(150))
                .WithOutlierMode(OutlierMode.DontRemove)
                .WithId("short"))
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(JsonExporter.Full, MarkdownExporter.GitHub)
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(20))
            .WithOptions(ConfigOptions.DisableLogFile);
}
