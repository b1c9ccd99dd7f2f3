using System.Text;

namespace SharpGrad;

/// <summary>
/// IPython's pretty printer (<c>IPython.lib.pretty</c>), enough of it for tuples, lists and objects
/// with a repr: what Jupyter shows as a cell's result. Behind <see cref="Torch.Pretty(object?, int)"/>.
/// </summary>
/// <remarks>
/// Note [Pretty printing]: output is produced lazily. Text and "breakable" separators wait in a
/// buffer; each tuple or list opens a group. While the pending text would overflow the line, the
/// outermost group that still has pending breakables is broken: all its breakables become newlines
/// (indented to the group's level) and the buffer is written up to the next breakable. A multi-line
/// repr inserts forced line breaks, which break the outermost open group first. These rules, including
/// the order in which groups of equal depth are picked, are IPython's, so the layout matches a
/// notebook's character for character.
/// </remarks>
internal sealed class PrettyPrinter(int maxWidth)
{
    private const int MaxSeqLength = 1000;

    private abstract class Item
    {
        public int Width;
        public abstract int Output(PrettyPrinter p, int outputWidth);
    }

    private sealed class Text : Item
    {
        private readonly List<string> _pieces = [];

        public void Add(string s)
        {
            _pieces.Add(s);
            Width += s.Length;
        }

        public override int Output(PrettyPrinter p, int outputWidth)
        {
            foreach (var s in _pieces) p._output.Append(s);
            return outputWidth + Width;
        }
    }

    private sealed class Breakable : Item
    {
        private readonly string _separator;
        private readonly int _indentation;
        private readonly Group _group;

        public Breakable(PrettyPrinter p, string separator)
        {
            _separator = separator;
            Width = separator.Length;
            _indentation = p._indentation;
            _group = p._groupStack[^1];
            _group.Breakables.Enqueue(this);
        }

        public override int Output(PrettyPrinter p, int outputWidth)
        {
            _group.Breakables.Dequeue();
            if (_group.WantBreak)
            {
                p._output.Append('\n').Append(' ', _indentation);
                return _indentation;
            }
            if (_group.Breakables.Count == 0) p.RemoveFromQueue(_group);
            p._output.Append(_separator);
            return outputWidth + Width;
        }
    }

    private sealed class Group(int depth)
    {
        public readonly int Depth = depth;
        public readonly Queue<Breakable> Breakables = new();
        public bool WantBreak;
    }

    private readonly StringBuilder _output = new();
    private readonly LinkedList<Item> _buffer = new();
    private readonly List<Group> _groupStack = [new Group(0)];
    private readonly List<List<Group>> _groupQueue = [];
    private readonly HashSet<object> _visiting = new(ReferenceEqualityComparer.Instance);
    private int _outputWidth, _bufferWidth, _indentation;

    /// <summary>Flushes what is pending and returns the text.</summary>
    public string Finish()
    {
        Flush();
        return _output.ToString();
    }

    /// <summary>Lays out one value: sequences as groups, anything else by its repr's lines.</summary>
    public void Pretty(object? value)
    {
        if (_groupQueue.Count == 0) Enqueue(_groupStack[0]);
        BeginGroup(0, "");
        var seq = value is null or string ? null : PythonRepr.Sequence(value);
        if (seq is { } s && !_visiting.Add(value!))
            Add(s.IsTuple ? "(...)" : "[...]");
        else if (seq is { } sequence)
        {
            string open = sequence.IsTuple ? "(" : "[", close = sequence.IsTuple ? ")" : "]";
            BeginGroup(1, open);
            for (int i = 0; i < sequence.Items.Count; i++)
            {
                if (i >= MaxSeqLength)
                {
                    Add(",");
                    AddBreakable();
                    Add("...");
                    break;
                }
                if (i > 0)
                {
                    Add(",");
                    AddBreakable();
                }
                Pretty(sequence.Items[i]);
            }
            if (sequence.IsTuple && sequence.Items.Count == 1) Add(",");
            EndGroup(1, close);
            _visiting.Remove(value!);
        }
        else
        {
            // IPython's _repr_pprint: the repr's lines, joined by forced breaks inside one group.
            var lines = Torch.Repr(value).Split('\n');
            BeginGroup(0, "");
            for (int i = 0; i < lines.Length; i++)
            {
                if (i > 0) ForceBreak();
                Add(lines[i]);
            }
            EndGroup(0, "");
        }
        EndGroup(0, "");
    }

    private void Add(string text)
    {
        if (_buffer.Count > 0)
        {
            if (_buffer.Last!.Value is not Text last)
            {
                last = new Text();
                _buffer.AddLast(last);
            }
            last.Add(text);
            _bufferWidth += text.Length;
            BreakOuterGroups();
        }
        else
        {
            _output.Append(text);
            _outputWidth += text.Length;
        }
    }

    private void AddBreakable(string separator = " ")
    {
        var group = _groupStack[^1];
        if (group.WantBreak)
        {
            Flush();
            NewLine();
        }
        else
        {
            _buffer.AddLast(new Breakable(this, separator));
            _bufferWidth += separator.Length;
            BreakOuterGroups();
        }
    }

    /// <summary>A newline that must happen (a multi-line repr): breaks the outermost open group first.</summary>
    private void ForceBreak()
    {
        if (Dequeue() is { } group) BreakOneGroup(group);
        Flush();
        NewLine();
    }

    private void NewLine()
    {
        _output.Append('\n').Append(' ', _indentation);
        _outputWidth = _indentation;
        _bufferWidth = 0;
    }

    private void BeginGroup(int indent, string open)
    {
        if (open.Length > 0) Add(open);
        var group = new Group(_groupStack[^1].Depth + 1);
        _groupStack.Add(group);
        Enqueue(group);
        _indentation += indent;
    }

    private void EndGroup(int dedent, string close)
    {
        _indentation -= dedent;
        var group = _groupStack[^1];
        _groupStack.RemoveAt(_groupStack.Count - 1);
        if (group.Breakables.Count == 0) RemoveFromQueue(group);
        if (close.Length > 0) Add(close);
    }

    private void BreakOuterGroups()
    {
        while (maxWidth < _outputWidth + _bufferWidth)
        {
            if (Dequeue() is not { } group) return;
            BreakOneGroup(group);
        }
    }

    private void BreakOneGroup(Group group)
    {
        while (group.Breakables.Count > 0) WriteFirst();
        while (_buffer.Count > 0 && _buffer.First!.Value is Text) WriteFirst();
    }

    private void WriteFirst()
    {
        var item = _buffer.First!.Value;
        _buffer.RemoveFirst();
        _outputWidth = item.Output(this, _outputWidth);
        _bufferWidth -= item.Width;
    }

    private void Flush()
    {
        // IPython adds the returned width instead of assigning it; the width is reset by the newline
        // that always follows a flush, so this only keeps the two implementations step for step.
        foreach (var item in _buffer) _outputWidth += item.Output(this, _outputWidth);
        _buffer.Clear();
        _bufferWidth = 0;
    }

    private void Enqueue(Group group)
    {
        while (group.Depth > _groupQueue.Count - 1) _groupQueue.Add([]);
        _groupQueue[group.Depth].Add(group);
    }

    /// <summary>
    /// The group to break next: the shallowest level first; within it IPython scans from the newest
    /// group but deletes by the scan position counted from the front, and a level whose groups have
    /// no breakables is marked broken and emptied. Reproduced as is, since it decides the layout.
    /// </summary>
    private Group? Dequeue()
    {
        foreach (var stack in _groupQueue)
        {
            for (int idx = 0; idx < stack.Count; idx++)
            {
                var group = stack[stack.Count - 1 - idx];
                if (group.Breakables.Count == 0) continue;
                stack.RemoveAt(idx);
                group.WantBreak = true;
                return group;
            }
            foreach (var group in stack) group.WantBreak = true;
            stack.Clear();
        }
        return null;
    }

    private void RemoveFromQueue(Group group)
    {
        if (group.Depth < _groupQueue.Count) _groupQueue[group.Depth].Remove(group);
    }
}
