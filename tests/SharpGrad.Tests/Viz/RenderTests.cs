using System.Xml.Linq;
using SharpGrad.Viz;
using static SharpGrad.Torch;
using F = SharpGrad.Torch.NN.Functional;

namespace SharpGrad.Tests.Viz;

/// <summary>
/// Render runs Graphviz's dot when it is on PATH and otherwise fails with a message that says how to
/// install it. Both outcomes are asserted: whichever this machine has, and the missing-dot branch
/// again with an empty search path.
/// </summary>
public class RenderTests
{
    private static Digraph Seed002Graph()
    {
        var x = Ones(5);
        var y = Zeros(3);
        var w = Randn(5, 3, requiresGrad: true);
        var b = Randn(3, requiresGrad: true);
        var loss = F.BinaryCrossEntropyWithLogits(Matmul(x, w) + b, y);
        return Torch.Viz.MakeDot(loss, new Dictionary<string, Tensor> { ["w"] = w, ["b"] = b });
    }

    private const string NotFound =
        "Graphviz's 'dot' executable was not found on PATH. Install Graphviz (Debian: apt-get install graphviz) to render; " +
        "Save() writes the .dot source without it.";

    private static void InTempDir(Action<string> body)
    {
        string dir = Directory.CreateTempSubdirectory("sharpgrad-viz").FullName;
        try
        {
            body(dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Render_writes_an_svg_when_dot_is_installed_else_says_how_to_install_it()
    {
        var dot = Seed002Graph();
        InTempDir(dir =>
        {
            string path = Path.Combine(dir, "graph.svg");
            if (Digraph.FindOnPath("dot") is null)
            {
                var e = Assert.Throws<InvalidOperationException>(() => dot.Render(path));
                Assert.Equal(NotFound, e.Message);
                Assert.False(File.Exists(path));
                return;
            }
            Assert.Equal(path, dot.Render(path));
            var svg = XDocument.Load(path);
            Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), svg.Root!.Name);
            var texts = svg.Descendants(XName.Get("text", "http://www.w3.org/2000/svg")).Select(t => t.Value).ToList();
            Assert.Contains("MmBackward0", texts);
            Assert.Contains("BinaryCrossEntropyWithLogitsBackward0", texts);
            Assert.Contains("w", texts);
            Assert.Contains(" (5, 3)", texts);
            // dot's own failure is reported with its exit code and message.
            var bad = Assert.Throws<InvalidOperationException>(() => dot.Render(Path.Combine(dir, "g.x"), "nosuchformat"));
            Assert.StartsWith("Graphviz's 'dot' failed with exit code", bad.Message);
        });
    }

    [Fact]
    public void Without_dot_on_the_search_path_render_fails_with_the_install_hint()
    {
        Assert.Null(Digraph.FindOnPath("dot", ""));
        InTempDir(dir =>
        {
            Assert.Null(Digraph.FindOnPath("dot", dir));
            string path = Path.Combine(dir, "graph.svg");
            var e = Assert.Throws<InvalidOperationException>(() => Seed002Graph().RenderWith(path, "svg", Digraph.FindOnPath("dot", dir)));
            Assert.Equal(NotFound, e.Message);
            Assert.False(File.Exists(path));
            // Save needs no Graphviz.
            Assert.True(File.Exists(Seed002Graph().Save(Path.Combine(dir, "graph.dot"))));
        });
    }

    [Fact]
    public void Formats_are_checked_before_anything_runs()
    {
        var e = Assert.Throws<ArgumentException>(() => Seed002Graph().RenderWith("g.svg", "svg -o /tmp/x", "/nonexistent/dot"));
        Assert.StartsWith("'svg -o /tmp/x' is not a Graphviz output format.", e.Message);
    }
}
