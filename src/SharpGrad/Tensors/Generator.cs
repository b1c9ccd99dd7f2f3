namespace SharpGrad;

/// <summary>
/// The global random number generator behind Rand, Randn and RandInt, seeded by
/// <see cref="Torch.ManualSeed"/>. Note [Random streams]: sequences are reproducible for a seed
/// but are not PyTorch's (its CPU generator is mt19937 with its own transforms).
/// </summary>
internal static class Generator
{
    private static readonly object s_lock = new();
    private static Random s_random = new();

    public static void Seed(long seed)
    {
        lock (s_lock) s_random = new Random(unchecked((int)(seed ^ (seed >> 32))));
    }

    public static void Uniform(Span<double> values)
    {
        lock (s_lock)
            for (int i = 0; i < values.Length; i++) values[i] = s_random.NextDouble();
    }

    /// <summary>Standard normal samples by the Box-Muller transform.</summary>
    public static void Normal(Span<double> values)
    {
        lock (s_lock)
            for (int i = 0; i < values.Length; i += 2)
            {
                double u1 = 1.0 - s_random.NextDouble(), u2 = s_random.NextDouble();
                double r = Math.Sqrt(-2.0 * Math.Log(u1));
                values[i] = r * Math.Cos(2 * Math.PI * u2);
                if (i + 1 < values.Length) values[i + 1] = r * Math.Sin(2 * Math.PI * u2);
            }
    }

    public static void Integers(Span<double> values, long low, long high)
    {
        lock (s_lock)
            for (int i = 0; i < values.Length; i++) values[i] = s_random.NextInt64(low, high);
    }
}
