using System.Text.Json;

namespace SharpGrad.Tests.Support;

/// <summary>
/// Golden fixtures generated from real PyTorch 1.13 by <c>tests/golden/generate.py</c> and committed:
/// <c>tests/golden/NAME.json</c>, copied next to the test assembly. CI never needs PyTorch.
/// </summary>
public static class Golden
{
    public static JsonElement Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "golden", name + ".json");
        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
