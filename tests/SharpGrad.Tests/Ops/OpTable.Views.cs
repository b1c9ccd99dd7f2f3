using SharpGrad.Tests.Support;

namespace SharpGrad.Tests;

public static partial class OpTable
{
    private static IEnumerable<OpRow> ViewRows() =>
    [
        new("transpose", x => x[0].Transpose(0, 1), [[3, 4]]),
        new("transpose_3d", x => x[0].Transpose(-1, 0), [[2, 3, 4]]),
        new("t", x => x[0].Transpose(), [[3, 4]]),
        new("T", x => x[0].T, [[3, 4]]),
        new("mT", x => x[0].mT, [[2, 3, 4]]),
        new("permute", x => x[0].Permute(2, 0, 1), [[2, 3, 4]]),
        new("squeeze", x => x[0].Squeeze(), [[3, 1, 4]]),
        new("squeeze_dim", x => x[0].Squeeze(1), [[3, 1, 4]]),
        new("unsqueeze", x => x[0].Unsqueeze(1), [[3, 4]]),
        new("flatten", x => x[0].Flatten(1), [[2, 3, 4]]),
        new("narrow", x => x[0].Narrow(1, 1, 2), [[3, 4]]),
        new("select", x => x[0].Select(1, -1), [[3, 4]]),
        new("slice_step", x => x[0].Slice(1, 0, 4, 2), [[3, 4]]),
        new("index_range_int", x => x[0][1.., ^1], [[3, 4]]),
        new("index_none_ellipsis", x => x[0][TensorIndex.None, TensorIndex.Ellipsis, 1], [[3, 4]]),
        new("index_ellipsis_alias", x => x[0][TensorIndex.Ellipsis], [[3, 4]]),
        new("as_strided", x => x[0].Contiguous().AsStrided([2, 2], [1, 2], 1), [[3, 4]]),
        new("as_strided_overlap", x => x[0].Contiguous().AsStrided([3, 3], [1, 1]), [[3, 4]]),
        // Straight on the layouts' storages: reads elements outside the input, and an expanded input overlaps.
        new("as_strided_raw", x => x[0].AsStrided([2, 2], [1, 2]), [[3, 4]]),
        new("cat", x => Torch.Cat([x[0], x[1]], 1), [[3, 2], [3, 4]], Layouts: NoBroadcast),
        new("cat_legacy_empty", x => Torch.Cat([x[0].Reshape(-1).Narrow(0, 0, 0), x[1]], 0), [[3], [2, 3]], Layouts: NoBroadcast),
        new("stack", x => Torch.Stack([x[0], x[1]], 1), [[3, 4], [3, 4]], Layouts: NoBroadcast),
        new("split", x => x[0].Split(3, 1)[1], [[3, 4]]),
        new("split_sizes", x => x[0].Split([1, 3], 1)[0], [[3, 4]]),
        new("chunk", x => x[0].Chunk(2, 0)[1], [[3, 4]]),
        new("unbind", x => x[0].Unbind(1)[2], [[3, 4]]),
        new("index_select", x => x[0].IndexSelect(1, Torch.Tensor(new long[] { 2, 0, 2 })), [[3, 4]]),
        new("index_add", x => x[0].IndexAdd(1, Torch.Tensor(new long[] { 2, 0, 2 }), x[1], alpha: 1.5), [[3, 4], [3, 3]],
            Layouts: NoBroadcast),
    ];
}
