using System.Text.RegularExpressions;
using SharpGrad.Tests.Support;
using SharpGrad.Tour;

namespace SharpGrad.Tests.Tour;

/// <summary>The Tour's deterministic cells print exactly what PyTorch 1.13 prints (tests/golden/tour.json).</summary>
public partial class TourTests
{
    [Fact]
    public void Deterministic_cells_print_what_PyTorch_prints()
    {
        var golden = Golden.Load("tour");
        var cells = Seed000Blitz.Cells().Concat(Seed002Basics.Cells()).Concat(Seed003Autograd.Cells()).Concat(Seed004D2l.Cells());
        int compared = 0;
        var mismatches = new List<string>();
        foreach (var cell in cells)
        {
            var output = new StringWriter { NewLine = "\n" };
            cell.Run(output);
            if (!cell.Deterministic) continue;
            Assert.True(golden.TryGetProperty(cell.Id, out var expected), $"no golden output for deterministic cell {cell.Id}");
            string want = Address().Replace(expected.GetString()!, "0x?");
            string got = Address().Replace(output.ToString(), "0x?");
            if (want != got) mismatches.Add($"[{cell.Id}]\n--- PyTorch:\n{want}\n--- SharpGrad:\n{got}");
            compared++;
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Equal(golden.EnumerateObject().Count(), compared);
    }

    [GeneratedRegex("0x[0-9a-f]+")]
    private static partial Regex Address();
}
