using SharpGrad.Autograd;
using SharpGrad.Viz;

namespace SharpGrad
{
    public static partial class Torch
    {
        /// <summary>Pictures of autograd graphs, the counterpart of the <c>torchviz</c> package.</summary>
        public static class Viz
        {
            /// <summary>
            /// The backward graph that produced <paramref name="output"/> as a Graphviz
            /// <see cref="Digraph"/>, torchviz's <c>make_dot(var, params, show_attrs, show_saved)</c>.
            /// </summary>
            /// <remarks>
            /// One grey box per backward node, labelled with its name (<c>MulBackward0</c>); an edge from
            /// each node to the node it sends gradients to. A leaf that requires grad is a light blue box
            /// (labelled with its name in <paramref name="parameters"/>, matched by reference, and its
            /// shape, <c>w\n (5, 3)</c>) feeding its <c>AccumulateGrad</c> node; the output is a
            /// <c>darkolivegreen1</c> box with its shape, and when it is a view its base is a
            /// <c>darkolivegreen3</c> box joined by a dotted edge. With <paramref name="showSaved"/> each
            /// tensor a node saved for backward is an orange box with its attribute name and shape; the
            /// tensors a custom <see cref="Function"/> saved are always shown, as torchviz does. With
            /// <paramref name="showAttrs"/> a node's label lists its other saved attributes (sizes, dims,
            /// scalars; Note [Node attributes]). Tensor labels add the dtype when it is not float32.
            /// Saved tensors already freed by a backward pass are shown as <c>[freed]</c> rather than
            /// failing. One tensor is one box, whatever roles it plays. The walk is iterative, so graphs
            /// of any depth work, and node ids are numbered in traversal order, so the same graph always
            /// gives the same <see cref="Digraph.Source"/>.
            /// </remarks>
            /// <param name="output">The tensor whose history is drawn.</param>
            /// <param name="parameters">Names for leaf tensors, e.g. a model's named parameters.</param>
            /// <param name="showAttrs">List each node's saved non-tensor attributes in its label.</param>
            /// <param name="showSaved">Draw the tensors each node saved for backward.</param>
            /// <param name="maxAttrChars">With <paramref name="showAttrs"/>, the widest attribute value shown (at least 3).</param>
            public static Digraph MakeDot(Tensor output, IReadOnlyDictionary<string, Tensor>? parameters = null,
                bool showAttrs = false, bool showSaved = false, int maxAttrChars = 50)
            {
                ArgumentNullException.ThrowIfNull(output);
                return MakeDot([output], parameters, showAttrs, showSaved, maxAttrChars);
            }

            /// <summary>
            /// The backward graph of several outputs in one picture, torchviz's <c>make_dot((a, b), ...)</c>;
            /// see <see cref="MakeDot(Tensor, IReadOnlyDictionary{string, Tensor}?, bool, bool, int)"/>.
            /// </summary>
            public static Digraph MakeDot(IReadOnlyList<Tensor> outputs, IReadOnlyDictionary<string, Tensor>? parameters = null,
                bool showAttrs = false, bool showSaved = false, int maxAttrChars = 50)
            {
                ArgumentNullException.ThrowIfNull(outputs);
                var builder = new DotBuilder(parameters, showAttrs, showSaved, maxAttrChars);
                foreach (var output in outputs)
                {
                    ArgumentNullException.ThrowIfNull(output, nameof(outputs));
                    builder.AddOutput(output);
                }
                return new Digraph(builder.Body);
            }
        }
    }
}

namespace SharpGrad.Viz
{
    /// <summary>Walks a backward graph in torchviz's order and collects DOT statements.</summary>
    internal sealed class DotBuilder
    {
        private static readonly (string, string)[] NoAttributes = [];
        private readonly Dictionary<Tensor, string> _paramNames = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<object, string> _ids = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<object> _seenTensors = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<Node> _seenNodes = new(ReferenceEqualityComparer.Instance);
        private readonly bool _showAttrs, _showSaved;
        private readonly int _maxAttrChars;

        public readonly List<object> Body = [];

        public DotBuilder(IReadOnlyDictionary<string, Tensor>? parameters, bool showAttrs, bool showSaved, int maxAttrChars)
        {
            if (parameters is not null)
            {
                foreach (var (name, tensor) in parameters)
                {
                    if (tensor is null) throw new ArgumentException($"parameter '{name}' is null", nameof(parameters));
                    _paramNames[tensor] = name; // a tensor given twice takes the last name, as torchviz's dict does
                }
            }
            _showAttrs = showAttrs;
            _showSaved = showSaved;
            _maxAttrChars = Math.Max(maxAttrChars, 3);
        }

        /// <summary>torchviz's <c>add_base_tensor</c>: the output box, its history, and its view base.</summary>
        public void AddOutput(Tensor output)
        {
            if (!AddTensorWithHistory(output, "darkolivegreen1")) return;
            if (output.ViewBase is { } viewBase)
            {
                // A view's base is never itself a view (Note [Views]): one level is all there is. The
                // dotted edge is drawn even when the base already has a box (say, a leaf parameter).
                AddTensorWithHistory(viewBase, "darkolivegreen3");
                AddEdge(viewBase, output, ("style", "dotted"));
            }
        }

        private bool AddTensorWithHistory(Tensor tensor, string color)
        {
            if (!_seenTensors.Add(tensor)) return false;
            AddNode(tensor, TensorLabel(tensor, null), ("fillcolor", color));
            if (tensor.GradFn is { } fn)
            {
                AddGraph(fn);
                AddEdge(fn, tensor);
            }
            return true;
        }

        /// <summary>
        /// torchviz's recursive <c>add_nodes</c>, made iterative: a depth-first walk with an explicit
        /// stack of (node, next edge to follow), emitting the same statements in the same order.
        /// </summary>
        private void AddGraph(Node root)
        {
            if (!_seenNodes.Add(root)) return;
            Enter(root);
            var stack = new Stack<(Node Node, int Next)>();
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var edges = node.NextEdges;
                while (next < edges.Length && edges[next].Function is null) next++;
                if (next == edges.Length)
                {
                    Leave(node);
                    continue;
                }
                stack.Push((node, next + 1));
                var producer = edges[next].Function!;
                AddEdge(producer, node);
                if (_seenNodes.Add(producer))
                {
                    Enter(producer);
                    stack.Push((producer, 0));
                }
            }
        }

        /// <summary>What torchviz draws on first reaching a node: its saved tensors, its leaf, its box.</summary>
        private void Enter(Node node)
        {
            var fields = _showAttrs || _showSaved ? NodeFields.Read(node) : null;
            if (_showSaved && node is not FunctionNode)
            {
                var names = NodeFields.SavedNames(fields!);
                var saved = node.SavedTensors;
                for (int i = 0; i < saved.Count; i++)
                    AddSaved(node, saved[i], names.GetValueOrDefault(saved[i], $"saved[{i}]"), fromNode: true);
            }
            if (node is AccumulateGrad accumulate)
            {
                var leaf = accumulate.Variable;
                if (_seenTensors.Add(leaf)) AddNode(leaf, TensorLabel(leaf, null), ("fillcolor", "lightblue"));
                AddEdge(leaf, node);
            }
            AddNode(node, _showAttrs ? AttrLabel(node.Name, fields!) : node.Name);
        }

        /// <summary>After a node's inputs: the tensors a custom function saved (always drawn, as in torchviz).</summary>
        private void Leave(Node node)
        {
            if (node is not FunctionNode) return;
            var saved = node.SavedTensors;
            for (int i = 0; i < saved.Count; i++)
                if (saved[i] is { } s) AddSaved(node, s, null, fromNode: false);
        }

        private void AddSaved(Node node, SavedTensor saved, string? name, bool fromNode)
        {
            object key;
            string? label = null;
            if (saved.IsReleased)
            {
                key = saved;
                label = $"{name}\n [freed]";
            }
            else
            {
                try
                {
                    var tensor = saved.Unpack();
                    key = tensor;
                    if (_seenTensors.Add(tensor)) label = TensorLabel(tensor, name);
                }
                catch (InvalidOperationException)
                {
                    // Modified in place since it was saved: backward would fail; say so instead.
                    key = saved;
                    label = $"{name}\n [modified in place]";
                }
            }
            (object from, object to) = fromNode ? ((object)node, key) : (key, node);
            AddEdge(from, to, ("dir", "none"));
            if (label is not null) AddNode(key, label, ("fillcolor", "orange"));
        }

        private string TensorLabel(Tensor tensor, string? name)
        {
            if (string.IsNullOrEmpty(name)) name = _paramNames.GetValueOrDefault(tensor, "");
            string label = $"{name}\n {SizeText(tensor.Sizes)}";
            return tensor.DType == DType.Float32 ? label : $"{label}\n {tensor.DType.TorchName()[6..]}";
        }

        /// <summary>torchviz's <c>size_to_str</c>: <c>(5, 3)</c>, <c>(3)</c>, <c>()</c>.</summary>
        internal static string SizeText(int[] sizes) => "(" + string.Join(", ", sizes) + ")";

        /// <summary>torchviz's <c>get_fn_name</c> with attributes: name, a rule, then aligned <c>key: value</c> rows.</summary>
        private string AttrLabel(string name, List<(string Name, object? Value)> fields)
        {
            if (fields.Count == 0) return name;
            var values = fields.Select(f => NodeFields.Format(f.Value)).ToList();
            int keyWidth = fields.Max(f => f.Name.Length);
            int valueWidth = Math.Min(values.Max(v => v.Length), _maxAttrChars);
            string rule = new('-', Math.Max(keyWidth + valueWidth + 2, name.Length));
            var rows = fields.Select((f, i) =>
            {
                string v = values[i].Length > valueWidth ? values[i][..(valueWidth - 3)] + "..." : values[i];
                return f.Name.PadRight(keyWidth) + ": " + v.PadLeft(valueWidth);
            });
            return name + "\n" + rule + "\n" + string.Join("\n", rows);
        }

        private string Id(object item)
        {
            if (!_ids.TryGetValue(item, out var id)) _ids[item] = id = _ids.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return id;
        }

        private void AddNode(object item, string label, params (string, string)[] attributes) =>
            Body.Add(new DotNode(Id(item), label, attributes.Length == 0 ? NoAttributes : attributes));

        private void AddEdge(object from, object to, params (string, string)[] attributes) =>
            Body.Add(new DotEdge(Id(from), Id(to), attributes.Length == 0 ? NoAttributes : attributes));
    }
}
