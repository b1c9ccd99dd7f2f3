using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SharpGrad.Viz;

/// <summary>One node statement of a <see cref="Digraph"/>: <c>id [label=... attr=...]</c>.</summary>
/// <param name="Id">The DOT id, a number assigned in traversal order.</param>
/// <param name="Label">The label text; line breaks are real newlines (escaped when written).</param>
/// <param name="Attributes">Further attributes such as <c>fillcolor</c>, written sorted by name.</param>
internal sealed record DotNode(string Id, string Label, IReadOnlyList<(string Name, string Value)> Attributes);

/// <summary>One edge statement of a <see cref="Digraph"/>: <c>from -&gt; to [attr=...]</c>.</summary>
internal sealed record DotEdge(string From, string To, IReadOnlyList<(string Name, string Value)> Attributes);

/// <summary>
/// A directed graph in Graphviz's DOT language, what <see cref="Torch.Viz.MakeDot(Tensor, IReadOnlyDictionary{string, Tensor}?, bool, bool, int)"/>
/// returns: the counterpart of the <c>graphviz.Digraph</c> that torchviz's <c>make_dot</c> builds.
/// </summary>
/// <remarks>
/// <see cref="Source"/> is the DOT text, laid out as the Python <c>graphviz</c> package writes it
/// (tab-indented statements, attributes sorted by name, plain ids left unquoted). <see cref="Save"/>
/// writes it to a file; <see cref="Render"/> runs Graphviz's <c>dot</c> program, which must be
/// installed and on PATH.
/// </remarks>
public sealed class Digraph
{
    /// <summary>The message of the exception <see cref="Render"/> throws when <c>dot</c> cannot be found.</summary>
    internal const string DotNotFoundMessage =
        "Graphviz's 'dot' executable was not found on PATH. Install Graphviz (Debian: apt-get install graphviz) to render; " +
        "Save() writes the .dot source without it.";

    // torchviz's node style: filled boxes in a small monospace font.
    private static readonly (string, string)[] NodeStyle =
    [
        ("align", "left"), ("fontname", "monospace"), ("fontsize", "10"), ("height", "0.2"),
        ("ranksep", "0.1"), ("shape", "box"), ("style", "filled"),
    ];

    private readonly List<object> _body; // DotNode and DotEdge statements in emission order
    private string? _source;

    internal Digraph(List<object> body) => _body = body;

    /// <summary>The node statements, in the order they are written.</summary>
    internal IEnumerable<DotNode> Nodes => _body.OfType<DotNode>();

    /// <summary>The edge statements, in the order they are written.</summary>
    internal IEnumerable<DotEdge> Edges => _body.OfType<DotEdge>();

    /// <summary>
    /// The graph in the DOT language, <c>Digraph.source</c>. The same graph always gives the same
    /// text: node ids are numbers assigned in traversal order, not memory addresses.
    /// </summary>
    public string Source => _source ??= BuildSource();

    /// <summary>The DOT text, as <see cref="Source"/>.</summary>
    public override string ToString() => Source;

    /// <summary>
    /// Writes <see cref="Source"/> to <paramref name="path"/> (UTF-8, no byte order mark) and returns
    /// the full path, <c>Digraph.save(filename)</c>. Needs no Graphviz installation.
    /// </summary>
    public string Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        File.WriteAllText(full, Source, new UTF8Encoding(false));
        return full;
    }

    /// <summary>
    /// Lays the graph out with Graphviz's <c>dot</c> program and writes the picture to
    /// <paramref name="path"/> in <paramref name="format"/> (<c>svg</c>, <c>png</c>, <c>pdf</c>, ...);
    /// returns the full path. Like <c>Digraph.render(filename, format=...)</c>, except that the
    /// picture is written to <paramref name="path"/> itself (no extension is appended, no source file
    /// is left beside it).
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// <c>dot</c> is not on PATH (install Graphviz; <see cref="Save"/> works without it), or it failed.
    /// </exception>
    public string Render(string path, string format = "svg") => RenderWith(path, format, FindOnPath("dot"));

    /// <summary>Renders with the given <c>dot</c> executable; null means it was not found.</summary>
    internal string RenderWith(string path, string format, string? dotExecutable)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(format);
        foreach (char c in format)
            if (!char.IsAsciiLetterOrDigit(c) && c != ':' && c != '_')
                throw new ArgumentException($"'{format}' is not a Graphviz output format.", nameof(format));
        if (dotExecutable is null) throw new InvalidOperationException(DotNotFoundMessage);

        string full = Path.GetFullPath(path);
        var start = new ProcessStartInfo(dotExecutable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add("-T" + format);
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(full);
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Graphviz's 'dot' could not be started ({dotExecutable}).");
        // Read both pipes while writing, so a chatty dot cannot block on a full pipe.
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Write(Source);
        process.StandardInput.Close();
        process.WaitForExit();
        string errors = stderr.GetAwaiter().GetResult().Trim();
        stdout.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"Graphviz's 'dot' failed with exit code {process.ExitCode}: {errors}");
        return full;
    }

    /// <summary>
    /// The full path of an executable named <paramref name="name"/> in the directories of
    /// <paramref name="pathVariable"/> (the PATH environment variable when null), or null.
    /// </summary>
    internal static string? FindOnPath(string name, string? pathVariable = null)
    {
        pathVariable ??= Environment.GetEnvironmentVariable("PATH") ?? "";
        string[] candidates = OperatingSystem.IsWindows() ? [name + ".exe", name] : [name];
        foreach (string dir in pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string candidate in candidates)
            {
                string file;
                try
                {
                    file = Path.Combine(dir.Trim('"'), candidate);
                }
                catch (ArgumentException)
                {
                    continue; // a PATH entry with invalid characters
                }
                if (File.Exists(file) && IsExecutable(file)) return file;
            }
        }
        return null;
    }

    private static bool IsExecutable(string file) =>
        OperatingSystem.IsWindows() ||
        (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private string BuildSource()
    {
        var sb = new StringBuilder();
        sb.Append("digraph {\n");
        sb.Append("\tgraph [size=").Append(Quote(GraphSize(_body.Count))).Append("]\n");
        sb.Append("\tnode [");
        AppendAttributes(sb, NodeStyle, first: true);
        sb.Append("]\n");
        foreach (var statement in _body)
        {
            sb.Append('\t');
            if (statement is DotNode node)
            {
                sb.Append(Quote(node.Id)).Append(" [label=").Append(Quote(node.Label));
                AppendAttributes(sb, node.Attributes, first: false);
                sb.Append("]\n");
            }
            else
            {
                var edge = (DotEdge)statement;
                sb.Append(Quote(edge.From)).Append(" -> ").Append(Quote(edge.To));
                if (edge.Attributes.Count > 0)
                {
                    sb.Append(" [");
                    AppendAttributes(sb, edge.Attributes, first: true);
                    sb.Append(']');
                }
                sb.Append('\n');
            }
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    private static void AppendAttributes(StringBuilder sb, IEnumerable<(string Name, string Value)> attributes, bool first)
    {
        foreach (var (name, value) in attributes.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            if (!first) sb.Append(' ');
            first = false;
            sb.Append(Quote(name)).Append('=').Append(Quote(value));
        }
    }

    /// <summary>
    /// torchviz's <c>resize_graph</c>: the drawing grows with the number of statements,
    /// <c>size = max(12, 0.15 * statements)</c> inches square, written as Python prints the number.
    /// </summary>
    internal static string GraphSize(int statements)
    {
        double content = statements * 0.15;
        if (content <= 12) return "12,12";
        string s = content.ToString("R", CultureInfo.InvariantCulture);
        if (!s.Contains('.') && !s.Contains('E')) s += ".0";
        return s + "," + s;
    }

    private static readonly string[] Keywords = ["node", "edge", "graph", "digraph", "subgraph", "strict"];

    /// <summary>
    /// A DOT id: left bare when it is a plain name or number (as the Python graphviz package does),
    /// otherwise double-quoted with <c>\</c>, <c>"</c> and line breaks escaped.
    /// </summary>
    internal static string Quote(string s)
    {
        if (IsPlainId(s)) return s;
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }

    private static bool IsPlainId(string s)
    {
        if (s.Length == 0) return false;
        if (char.IsAsciiDigit(s[0]) || s[0] == '.' || s[0] == '-')
        {
            // a numeral: -?(.digits | digits(.digits?)?)
            int i = s[0] == '-' ? 1 : 0, digits = 0, dots = 0;
            for (; i < s.Length; i++)
            {
                if (char.IsAsciiDigit(s[i])) digits++;
                else if (s[i] == '.' && dots++ == 0) { }
                else return false;
            }
            return digits > 0;
        }
        foreach (char c in s)
            if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        return !Keywords.Contains(s.ToLowerInvariant());
    }
}
