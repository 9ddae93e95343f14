namespace Sim.Replay;

/// <summary>
/// A recorded component, declared once in the header: its id in <see cref="ComponentBlock.Component"/>, its name and
/// the names of its float fields. Values of a component are always <see cref="Fields"/>.Count floats per entity.
/// Well-known names the viewer understands: <c>position</c> (x, y), <c>status</c> (0 open, 1 solved, -1 failed),
/// <c>task</c> (task entity id an agent works on).
/// </summary>
/// <param name="Id">Id used in component blocks.</param>
/// <param name="Name">Component name.</param>
/// <param name="Fields">Float field names, in order.</param>
public sealed record ComponentSchema(int Id, string Name, IReadOnlyList<string> Fields);
