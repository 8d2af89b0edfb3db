package dev.scapstream.capture;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Open-addressing map from long to V: no boxing on lookup, so the per-event paths that look up a
 * thread by tid allocate nothing. Not thread-safe; owned by one thread.
 */
public final class LongMap<V> {
    private static final long FREE = Long.MIN_VALUE;
    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;

    public LongMap() {
        this(64);
    }

    public LongMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        Arrays.fill(keys, FREE);
        values = new Object[cap];
        mask = cap - 1;
    }

    private static int mix(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    @SuppressWarnings("unchecked")
    public V get(long key) {
        int i = mix(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) return (V) values[i];
            if (k == FREE) return null;
            i = (i + 1) & mask;
        }
    }

    public void put(long key, V value) {
        if (key == FREE) throw new IllegalArgumentException("key reserved");
        int i = mix(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == FREE) {
                keys[i] = key;
                values[i] = value;
                if (++size * 2 > keys.length) grow();
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** Removes key (backward-shift deletion keeps probe chains intact). */
    public V remove(long key) {
        int i = mix(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == FREE) return null;
            if (k == key) break;
            i = (i + 1) & mask;
        }
        @SuppressWarnings("unchecked")
        V old = (V) values[i];
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            long k = keys[j];
            if (k == FREE) break;
            int home = mix(k) & mask;
            // move k into the hole when its home is not in (hole, j]
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = k;
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = FREE;
        values[hole] = null;
        size--;
        return old;
    }

    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != FREE) action.accept((V) values[i]);
        }
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, FREE);
        values = new Object[keys.length];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != FREE) put(oldKeys[i], (V) oldValues[i]);
        }
    }
}
