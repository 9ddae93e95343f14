namespace Sim.Engine;

/// <summary>
/// Records structural changes (create, destroy, add, remove) and value writes made while queries run, and applies
/// them in recorded order at a fixed point: <see cref="Playback"/>. The <see cref="Pipeline"/> plays the world's
/// buffer back after every stage. Recording is thread-safe, so parallel queries may share one buffer; the order of
/// commands recorded concurrently is then the order they were recorded in, so keep concurrent commands independent.
/// </summary>
/// <remarks>
/// <see cref="Create"/> returns a placeholder handle that later commands in the same buffer may target; playback
/// swaps in the real entity. Commands that target an entity destroyed earlier in the same playback are skipped, so
/// two systems may both destroy one entity without an error.
/// </remarks>
public sealed class CommandBuffer
{
    private enum Op : byte { Create, Destroy, Add, Set, Remove }

    private readonly record struct Command(Op Op, Entity Target, Payloads? Payloads, int Index);

    private abstract class Payloads
    {
        public abstract void Apply(World world, Op op, Entity target, int index);
        public abstract void Clear();
    }

    private sealed class Payloads<T> : Payloads
    {
        public static readonly int Slot = Interlocked.Increment(ref _nextSlot) - 1;
        public readonly List<T> Items = new();

        public override void Apply(World world, Op op, Entity target, int index)
        {
            switch (op)
            {
                case Op.Add: world.Add(target, Items[index]); break;
                case Op.Set: world.Set(target, Items[index]); break;
                case Op.Remove: world.Remove<T>(target); break;
            }
        }

        public override void Clear() => Items.Clear();
    }

    private static int _nextSlot;
    private readonly Lock _gate = new();
    private readonly List<Command> _commands = new();
    private Payloads?[] _payloads = new Payloads?[16];
    private readonly List<Entity> _created = new();
    private int _pendingCreates;

    /// <summary>Commands waiting for playback.</summary>
    public int Count { get { lock (_gate) return _commands.Count; } }

    /// <summary>Records the creation of an empty entity; returns a placeholder for later commands in this buffer.</summary>
    public Entity Create()
    {
        lock (_gate)
        {
            var placeholder = new Entity(-(++_pendingCreates), -1);
            _commands.Add(new Command(Op.Create, placeholder, null, 0));
            return placeholder;
        }
    }

    /// <summary>Records the destruction of <paramref name="entity"/>.</summary>
    public void Destroy(Entity entity)
    {
        lock (_gate) _commands.Add(new Command(Op.Destroy, entity, null, 0));
    }

    /// <summary>Records adding <paramref name="value"/> to <paramref name="entity"/>.</summary>
    public void Add<T>(Entity entity, in T value = default!) => Record(Op.Add, entity, value);

    /// <summary>Records overwriting <paramref name="entity"/>'s <typeparamref name="T"/> with <paramref name="value"/>.</summary>
    public void Set<T>(Entity entity, in T value) => Record(Op.Set, entity, value);

    /// <summary>Records removing <paramref name="entity"/>'s <typeparamref name="T"/>.</summary>
    public void Remove<T>(Entity entity) => Record<T>(Op.Remove, entity, default!);

    private void Record<T>(Op op, Entity entity, in T value)
    {
        lock (_gate)
        {
            var payloads = PayloadsOf<T>();
            payloads.Items.Add(value);
            _commands.Add(new Command(op, entity, payloads, payloads.Items.Count - 1));
        }
    }

    private Payloads<T> PayloadsOf<T>()
    {
        int slot = Payloads<T>.Slot;
        if (slot >= _payloads.Length) Array.Resize(ref _payloads, Math.Max(slot + 1, _payloads.Length * 2));
        return (Payloads<T>)(_payloads[slot] ??= new Payloads<T>());
    }

    /// <summary>
    /// Applies every recorded command to <paramref name="world"/> in order, then clears the buffer. Returns the
    /// entities made by <see cref="Create"/>, in order (valid until the next playback).
    /// </summary>
    public IReadOnlyList<Entity> Playback(World world)
    {
        lock (_gate)
        {
            _created.Clear();
            try
            {
                foreach (var cmd in _commands)
                {
                    if (cmd.Op == Op.Create)
                    {
                        _created.Add(world.Create());
                        continue;
                    }
                    var target = Resolve(cmd.Target);
                    if (!world.IsAlive(target)) continue; // destroyed earlier in this playback
                    if (cmd.Op == Op.Destroy) world.Destroy(target);
                    else cmd.Payloads!.Apply(world, cmd.Op, target, cmd.Index);
                }
            }
            finally
            {
                Clear();
            }
            return _created;
        }
    }

    /// <summary>Drops every recorded command without applying it.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _commands.Clear();
            foreach (var p in _payloads) p?.Clear();
            _pendingCreates = 0;
        }
    }

    private Entity Resolve(Entity e) => e.Version == -1 ? _created[-e.Id - 1] : e;
}
