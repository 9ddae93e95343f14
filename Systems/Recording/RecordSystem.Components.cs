using Sim.Engine;
using System.Runtime.InteropServices;
using Sim.Replay;

namespace Sim.Systems.Recording;

public sealed partial class RecordSystem
{
    private interface IComponentTracker
    {
        void Record(World world, TickRecord rec, RecordSystem owner);
    }

    /// <summary>
    /// Keeps the last recorded values of one component (a flat array indexed by entity id) and emits, per tick, one
    /// column block with the entities whose values changed bit for bit (every tracked entity in a keyframe, or when it
    /// was just created or just gained the component).
    /// </summary>
    private sealed class ComponentTracker<T>(ComponentSchema schema, ComponentExtractor<T> extract) : IComponentTracker
    {
        private readonly int _stride = Math.Max(1, schema.Fields.Count);
        private readonly QueryDescription _query = new QueryDescription().WithAll<T>();
        private float[] _last = new float[1024];
        private int[] _hasStamp = new int[256];   // owner stamp of the last tick the entity had the component

        public void Record(World world, TickRecord rec, RecordSystem owner)
        {
            int stride = _stride, stamp = owner._stamp;
            bool keyframe = rec.Keyframe;
            var query = world.GetQuery(_query);
            // Output arrays sized for the worst case (every entity changed), trimmed at the end: no per-value list adds.
            int capacity = query.Count();
            // Uninitialized: every entity row below n is written, and each value slot is cleared before extraction.
            var entities = GC.AllocateUninitializedArray<int>(capacity);
            var values = GC.AllocateUninitializedArray<float>(capacity * stride);
            int n = 0;
            foreach (var arch in query.Archetypes)
            foreach (var chunk in arch.Chunks)
            {
                var ents = chunk.EntitySpan;
                var comps = chunk.GetSpan<T>();
                for (int i = 0; i < ents.Length; i++)
                {
                    int id = ents[i].Id;
                    if (!owner.IsLive(id)) continue; // only entities that are recorded
                    if (id >= _hasStamp.Length)
                    {
                        Array.Resize(ref _hasStamp, Math.Max(id + 1, _hasStamp.Length * 2));
                        Array.Resize(ref _last, _hasStamp.Length * stride);
                    }
                    var slot = values.AsSpan(n * stride, stride);
                    slot.Clear();
                    extract(in comps[i], slot);
                    var last = _last.AsSpan(id * stride, stride);
                    bool had = _hasStamp[id] == stamp - 1;
                    _hasStamp[id] = stamp;
                    if (!keyframe && had && !owner.IsNew(id)
                        && MemoryMarshal.AsBytes(last).SequenceEqual(MemoryMarshal.AsBytes((ReadOnlySpan<float>)slot))) continue;
                    slot.CopyTo(last);
                    entities[n++] = id;
                }
            }
            if (n == 0) return;
            if (n < capacity)
            {
                Array.Resize(ref entities, n);
                Array.Resize(ref values, n * stride);
            }
            rec.Components.Add(new ComponentBlock(schema.Id, entities, values));
        }
    }
}
