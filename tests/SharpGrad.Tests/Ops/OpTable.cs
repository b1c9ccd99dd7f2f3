using SharpGrad.Tests.Support;

namespace SharpGrad.Tests;

/// <summary>
/// The op table: every static method of this class returning <c>IEnumerable&lt;OpRow&gt;</c>
/// contributes rows (one file per op family), found by reflection.
/// </summary>
public static partial class OpTable
{
    /// <summary>Every layout but Broadcast, for ops whose inputs cannot drop a leading dim.</summary>
    private static Layouts.Layout[] NoBroadcast =>
        [Layouts.Layout.Contiguous, Layouts.Layout.Transposed, Layouts.Layout.Sliced, Layouts.Layout.Expanded];

    public static IReadOnlyList<OpRow> All { get; } = typeof(OpTable)
        .GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
        .Where(m => m.ReturnType == typeof(IEnumerable<OpRow>) && m.GetParameters().Length == 0)
        .SelectMany(m => (IEnumerable<OpRow>)m.Invoke(null, null)!)
        .ToList();
}
