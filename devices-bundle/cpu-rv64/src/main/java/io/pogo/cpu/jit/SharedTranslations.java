package io.pogo.cpu.jit;

import java.lang.foreign.MemorySegment;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Compiled regions every VM of the process may use. A region's class follows from the guest code it translates
 * alone (each block's instruction bits and where the block starts in the region) and the host space its loads and
 * stores reach, which the allocator makes the same for all VMs: so a VM that runs code another VM has compiled (the
 * same kernel) takes the other VM's class, and the JVM's machine code for it, instead of compiling its own.
 *
 * <p>Entries are held weakly: the blocks of each VM that use a region hold it, so a region leaves the cache when
 * no VM's block refers to it any more (a VM's code invalidation drops only that VM's blocks), and the JVM then
 * unloads its class.
 */
public final class SharedTranslations {
    private final Map<Key, Entry> entries = new HashMap<>();
    private final ReferenceQueue<CompiledRegion> collected = new ReferenceQueue<>();

    /**
     * What a region's class is made from: the host space, and per block its start in the region, its length and
     * its instructions' bits, compared in full.
     */
    static final class Key {
        private final MemorySegment hostSpace;
        private final long[] code;
        private final int hash;

        Key(Region region) {
            int length = 0;
            for (Block block : region.blocks()) {
                length += 3 + block.raw.length;
            }
            long[] code = new long[length];
            int at = 0;
            for (int k = 0; k < region.blocks().length; k++) {
                Block block = region.blocks()[k];
                code[at++] = region.offsets()[k];
                code[at++] = block.byteLength;
                code[at++] = block.raw.length;
                for (int raw : block.raw) {
                    code[at++] = raw;
                }
            }
            this.hostSpace = region.hostSpace();
            this.code = code;
            this.hash = 31 * hostSpace.hashCode() + Arrays.hashCode(code);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && hash == key.hash && hostSpace.equals(key.hostSpace)
                    && Arrays.equals(code, key.code);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** A region in the cache, with what it costs the host. */
    private static final class Entry extends WeakReference<CompiledRegion> {
        final Key key;
        final long footprint;

        Entry(Key key, BackgroundCompiler.Ready ready, ReferenceQueue<CompiledRegion> queue) {
            super(ready.region(), queue);
            this.key = key;
            this.footprint = ready.footprint();
        }
    }

    /** The region some VM compiled from the code {@code key} names, if one still uses it; else null. */
    synchronized BackgroundCompiler.Ready find(Key key) {
        purge();
        Entry entry = entries.get(key);
        CompiledRegion region = entry == null ? null : entry.get();
        return region == null ? null : new BackgroundCompiler.Ready(region, entry.footprint);
    }

    /**
     * The region compiled from {@code region}'s code, which {@code key} names: some VM's, or else one {@code compiler}
     * translates and loads now, outside the lock, and offers.
     */
    BackgroundCompiler.Ready compiled(Key key, Region region, RegionCompiler compiler) {
        BackgroundCompiler.Ready existing = find(key);
        if (existing != null) {
            return existing;
        }
        RegionCompiler.Translation translation = compiler.translate(region);
        return share(key, new BackgroundCompiler.Ready(compiler.load(translation),
                RegionCompiler.footprint(translation.classFile())));
    }

    /**
     * Offers a region just compiled from the code {@code key} names; returns the one to use: the offered one, or
     * the one another VM compiled meanwhile, which leaves the offered one to be collected.
     */
    synchronized BackgroundCompiler.Ready share(Key key, BackgroundCompiler.Ready compiled) {
        BackgroundCompiler.Ready existing = find(key);
        if (existing != null) {
            return existing;
        }
        entries.put(key, new Entry(key, compiled, collected));
        return compiled;
    }

    /** Removes the entries of regions the JVM has collected, unless a newer region took the key. */
    private void purge() {
        for (Object gone = collected.poll(); gone != null; gone = collected.poll()) {
            Entry entry = (Entry) gone;
            entries.remove(entry.key, entry);
        }
    }
}
