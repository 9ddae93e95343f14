using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sim.Engine;
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
    /// <para>
    /// Capture is column-wise and allocation-free: each ECS chunk's values are written into a buffer rented from the
    /// writer in one go (one memory copy of the component column when <paramref name="extract"/> is null, i.e. the
    /// component is recorded as its raw float fields), then the unchanged rows are compacted out in place. The writer
    /// returns the buffers once the tick is encoded.
    /// </para>
    /// </summary>
    private sealed class ComponentTracker<T>(ComponentSchema schema, ComponentExtractor<T>? extract) : IComponentTracker
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
            // Buffers sized for the worst case (every entity changed); the block uses the first n rows.
            int capacity = query.Count();
            if (capacity == 0) return;
            var writer = owner._writer;
            var entities = writer.RentInts(capacity);
            var values = writer.RentFloats(capacity * stride);
            int n = 0;
            var archetypes = query.Archetypes;
            for (int a = 0; a < archetypes.Count; a++)
            {
                var chunks = archetypes[a].Chunks;
                for (int c = 0; c < chunks.Count; c++)
                {
                    var chunk = chunks[c];
                    var ents = chunk.EntitySpan;
                    if (ents.Length == 0) continue;
                    var comps = chunk.GetSpan<T>();
                    // The chunk's rows land at [n, n + rows); kept rows then move down over the skipped ones.
                    int first = n;
                    var column = values.AsSpan(first * stride, ents.Length * stride);
                    if (extract is null)
                    {
                        // T is unmanaged and exactly `stride` floats (checked by TrackRaw).
                        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(comps)), comps.Length * Unsafe.SizeOf<T>())
                            .CopyTo(MemoryMarshal.AsBytes(column));
                    }
                    else
                    {
                        column.Clear(); // an extractor may leave fields unwritten: they read as zero
                        for (int i = 0; i < comps.Length; i++) extract(in comps[i], column.Slice(i * stride, stride));
                    }
                    // Per row: a few reads of id-indexed arrays, no calls. Bounds are checked once per id (Ensure).
                    ref float col = ref MemoryMarshal.GetReference(column);
                    ref float dst = ref values[0];
                    for (int i = 0; i < ents.Length; i++)
                    {
                        int id = ents[i].Id;
                        if (!owner.IsLive(id)) continue; // only entities that are recorded
                        if (id >= _hasStamp.Length) Ensure(id);
                        ref float slot = ref Unsafe.Add(ref col, i * stride);
                        ref float last = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_last), id * stride);
                        ref int has = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_hasStamp), id);
                        bool had = has == stamp - 1;
                        has = stamp;
                        if (!keyframe && had && !owner.IsNew(id) && SameBits(ref last, ref slot, stride)) continue;
                        Copy(ref slot, ref last, stride);
                        if (n != first + i) Copy(ref slot, ref Unsafe.Add(ref dst, n * stride), stride);
                        entities[n++] = id;
                    }
                }
            }
            if (n == 0)
            {
                writer.ReturnColumns(entities, values);
                return;
            }
            rec.Components.Add(new ComponentBlock(schema.Id, entities, values, n, n * stride));
        }

        private void Ensure(int id)
        {
            Array.Resize(ref _hasStamp, Math.Max(id + 1, _hasStamp.Length * 2));
            Array.Resize(ref _last, _hasStamp.Length * _stride);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool SameBits(ref float a, ref float b, int stride)
        {
            if (stride == 2) return Unsafe.As<float, ulong>(ref a) == Unsafe.As<float, ulong>(ref b);
            for (int k = 0; k < stride; k++)
                if (Unsafe.As<float, uint>(ref Unsafe.Add(ref a, k)) != Unsafe.As<float, uint>(ref Unsafe.Add(ref b, k))) return false;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Copy(ref float from, ref float to, int stride)
        {
            if (stride == 2) { Unsafe.As<float, ulong>(ref to) = Unsafe.As<float, ulong>(ref from); return; }
            for (int k = 0; k < stride; k++) Unsafe.Add(ref to, k) = Unsafe.Add(ref from, k);
        }
    }
}
