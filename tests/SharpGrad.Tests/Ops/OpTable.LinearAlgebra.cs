using SharpGrad.Tests.Support;

namespace SharpGrad.Tests;

public static partial class OpTable
{
    private static IEnumerable<OpRow> LinearAlgebraRows() =>
    [
        new("mm", x => x[0].Mm(x[1]), [[2, 3], [3, 4]], Layouts: NoBroadcast),
        new("bmm", x => x[0].Bmm(x[1]), [[2, 2, 3], [2, 3, 2]], Layouts: NoBroadcast),
        new("mv", x => x[0].Mv(x[1]), [[3, 4], [4]]),
        new("dot", x => x[0].Dot(x[1]), [[4], [4]]),
        new("matmul_1d_1d", x => x[0].Matmul(x[1]), [[4], [4]]),
        new("matmul_2d_1d", x => x[0].Matmul(x[1]), [[3, 4], [4]]),
        new("matmul_1d_2d", x => x[0].Matmul(x[1]), [[3], [3, 4]], Layouts: NoBroadcast),
        new("matmul_2d_2d", x => x[0].Matmul(x[1]), [[2, 3], [3, 4]], Layouts: NoBroadcast),
        new("matmul_3d_2d", x => x[0].Matmul(x[1]), [[2, 3, 4], [4, 2]], Layouts: NoBroadcast),
        new("matmul_2d_3d", x => x[0].Matmul(x[1]), [[3, 4], [2, 4, 2]]),
        new("matmul_1d_3d", x => x[0].Matmul(x[1]), [[4], [2, 4, 3]]),
        new("matmul_3d_1d", x => x[0].Matmul(x[1]), [[2, 3, 4], [4]]),
        new("matmul_3d_3d", x => x[0].Matmul(x[1]), [[2, 3, 4], [2, 4, 2]]),
        new("matmul_4d_3d", x => x[0].Matmul(x[1]), [[2, 1, 3, 4], [2, 4, 2]]),
        new("matmul_permuted_3d_2d", x => x[0].mT.Matmul(x[1]), [[2, 4, 3], [4, 2]], Layouts: NoBroadcast),
    ];
}
