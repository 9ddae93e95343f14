using NUnit.Framework;
using Sim.Agents.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Tests.Agents;

/// <summary>Proves the native TorchSharp library loads under <c>dotnet test</c> (the GLIBCXX fix in build/ works).</summary>
public class TorchNativeTests
{
    [Test]
    public void NativeLibraryLoadsAndMultiplies()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        var c = matmul(a, b);
        Assert.That(c.data<float>().ToArray(), Is.EqualTo(new float[] { 19, 22, 43, 50 }));
    }

    [Test]
    public void DeviceIsChosenAtRunTime()
    {
        var device = TorchDevice.Default;
        Assert.That(device.type, Is.EqualTo(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU));
        using var scope = NewDisposeScope();
        var x = ones(3, 3, device: device);
        Assert.That(x.sum().cpu().item<float>(), Is.EqualTo(9f));
    }
}
