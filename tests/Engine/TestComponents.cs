namespace Sim.Tests.Engine;

// Small component types shared by the engine tests.
internal struct A { public int Value; }
internal struct B { public long Value; }
internal struct C { public float Value; }
internal struct D { public byte Value; }
internal struct E { public short Value; }
internal struct F { public double Value; }
internal record struct Name(string Text);
