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
        private readonly List<int> _entities = new();
        private readonly List<float> _values = new();

        public void Record(World world, TickRecord rec, RecordSystem owner)
        {
            _entities.Clear();
            _values.Clear();
            int stride = _stride, stamp = owner._stamp;
            bool keyframe = rec.Keyframe;
            Span<float> buffer = stackalloc float[stride];
            foreach (var arch in world.GetQuery(_query).Archetypes)
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
                    extract(in comps[i], buffer);
                    var last = _last.AsSpan(id * stride, stride);
                    bool had = _hasStamp[id] == stamp - 1;
                    _hasStamp[id] = stamp;
                    if (!keyframe && had && !owner.IsNew(id)
                        && MemoryMarshal.AsBytes(last).SequenceEqual(MemoryMarshal.AsBytes((ReadOnlySpan<float>)buffer))) continue;
                    buffer.CopyTo(last);
                    _entities.Add(id);
                    foreach (float v in buffer) _values.Add(v);
                }
            }
            if (_entities.Count > 0) rec.Components.Add(new ComponentBlock(schema.Id, _entities.ToArray(), _values.ToArray()));
        }
    }
}
