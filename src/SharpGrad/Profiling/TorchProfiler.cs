using SharpGrad.Profiling;

namespace SharpGrad;

public static partial class Torch
{
    public static partial class Autograd
    {
        /// <summary>
        /// PyTorch's <c>torch.autograd.profiler</c>: <c>using (var prof = Torch.Autograd.Profiler.Profile()) { ... }</c>
        /// then <c>prof.KeyAverages().Table(sortBy: "self_cpu_time_total")</c>.
        /// </summary>
        public static class Profiler
        {
            /// <summary>
            /// Starts recording every op, backward node and <see cref="RecordFunction"/> range on every
            /// thread until the returned profile is disposed, <c>torch.autograd.profiler.profile(enabled,
            /// record_shapes, profile_memory)</c>.
            /// </summary>
            /// <param name="enabled">False makes the profile a no-op.</param>
            /// <param name="recordShapes">Record the shapes of each op's tensor inputs (for <c>KeyAverages(groupByInputShape: true)</c>).</param>
            /// <param name="profileMemory">Record the bytes of the tensors each op allocates ("CPU Mem" columns).</param>
            /// <exception cref="InvalidOperationException">Another profile is already recording (profiles do not nest).</exception>
            public static Profile Profile(bool enabled = true, bool recordShapes = false, bool profileMemory = false) =>
                new(enabled, recordShapes, profileMemory);

            /// <summary>
            /// Opens a labelled range that nests the ops run inside it until disposed,
            /// <c>with torch.autograd.profiler.record_function(name):</c>. Free when no profile is recording.
            /// </summary>
            public static RecordScope RecordFunction(string name)
            {
                var session = global::SharpGrad.Profiler.Active;
                return session is null ? default : session.Begin(name, EventScope.UserScope, -1, session.RecordShapes ? [] : null);
            }
        }
    }
}
