using SharpGrad.Tour;
using SharpGrad.Viz;

namespace SharpGrad.Tests.Tour;

// Part of TourTests (one xUnit collection), so the two tests that run the Seed 002 cells never
// write graph.svg at the same time.
public partial class TourTests
{
    [Fact]
    public void The_seed002_graph_cell_renders_graph_svg_or_prints_the_install_hint()
    {
        var cells = Seed002Basics.Cells().ToList();
        var last = cells[^1];
        Assert.False(last.Deterministic);
        var output = new StringWriter { NewLine = "\n" };
        foreach (var cell in cells) cell.Run(cell == last ? output : TextWriter.Null);
        if (Digraph.FindOnPath("dot") is null)
        {
            Assert.Equal(Digraph.DotNotFoundMessage + "\n", output.ToString());
            return;
        }
        string path = Path.GetFullPath("graph.svg");
        Assert.Equal($"Rendered the graph to {path}\n", output.ToString());
        string svg = File.ReadAllText(path);
        Assert.Contains("<svg", svg);
        Assert.Contains("MmBackward0", svg);
    }
}
