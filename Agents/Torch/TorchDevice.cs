using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Agents.Torch;

/// <summary>
/// Picks the TorchSharp device at run time: CUDA when the loaded libtorch has it and a GPU is present, otherwise the CPU.
/// Nothing in Sim requires a GPU; every GPU path sits behind this check.
/// </summary>
public static class TorchDevice
{
    private static readonly Lazy<Device> Chosen = new(Choose);

    /// <summary>The device models and tensors go to unless a caller asks for another one.</summary>
    public static Device Default => Chosen.Value;

    /// <summary>Parses a device name: <c>auto</c> (the default), <c>cpu</c> or <c>cuda</c>.</summary>
    /// <exception cref="ArgumentException">An unknown name, or <c>cuda</c> when no CUDA device exists.</exception>
    public static Device Parse(string? name) => (name ?? "auto").ToLowerInvariant() switch
    {
        "auto" or "" => Default,
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new ArgumentException("--device cuda: no CUDA device is available"),
        _ => throw new ArgumentException($"unknown device '{name}' (use auto, cpu or cuda)"),
    };

    private static Device Choose()
    {
        // cuda.is_available() is false with the CPU-only libtorch package, so this is safe everywhere.
        return cuda.is_available() ? CUDA : CPU;
    }
}
