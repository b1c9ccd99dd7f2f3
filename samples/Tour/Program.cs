using SharpGrad.Tour;

// The Tour: every code cell of the seed tutorials (000, 002, 003, 004), ported to C#, each under a heading.
var seeds = new (string Title, IEnumerable<Cell> Cells)[]
{
    ("Seed 000: Autograd: Automatic Differentiation (60-minute blitz)", Seed000Blitz.Cells()),
    ("Seed 002: Automatic Differentiation with torch.autograd", Seed002Basics.Cells()),
    ("Seed 003: Autograd walkthrough", Seed003Autograd.Cells()),
    ("Seed 004: Automatic differentiation (Dive into Deep Learning)", Seed004D2l.Cells()),
};
SharpGrad.Torch.ManualSeed(0);
foreach (var (title, cells) in seeds)
{
    Console.WriteLine(new string('=', title.Length));
    Console.WriteLine(title);
    Console.WriteLine(new string('=', title.Length));
    foreach (var cell in cells)
    {
        Console.WriteLine();
        Console.WriteLine($"--- [{cell.Id}] {cell.Heading}");
        cell.Run(Console.Out);
    }
    Console.WriteLine();
}
