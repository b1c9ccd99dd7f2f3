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
/// Note [Short job]: one launch, 3 warm-up and 7 measured iterations of about 150 ms each (a
/// workload slower than that runs once per iteration); we quote the median of all 7 (no outlier
/// removal), which is robust to the other core's noise. In-process (no generated project to build) keeps the run short and
/// lets the parent's <c>DOTNET_PROCESSOR_COUNT</c> apply.
/// </remarks>
internal static class BenchConfig
{
    public static IConfig Create() =>
        ManualConfig.CreateEmpty()
            .AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(3)
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
