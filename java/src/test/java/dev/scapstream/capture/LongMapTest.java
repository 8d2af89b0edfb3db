package dev.scapstream.capture;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LongMapTest {
    @Test
    void behavesLikeHashMapUnderRandomPutsAndRemoves() {
        LongMap<Long> m = new LongMap<>(4);
        Map<Long, Long> ref = new HashMap<>();
        Random r = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            long k = r.nextInt(5000) - 100; // includes negatives and clustered keys
            switch (r.nextInt(3)) {
                case 0: m.put(k, (long) i); ref.put(k, (long) i); break;
                case 1: assertEquals(ref.remove(k), m.remove(k), "remove " + k); break;
                default: assertEquals(ref.get(k), m.get(k), "get " + k); break;
            }
            if (i % 10_000 == 0) assertEquals(ref.size(), m.size());
        }
        for (Map.Entry<Long, Long> e : ref.entrySet()) assertEquals(e.getValue(), m.get(e.getKey()));
        long[] seen = {0};
        m.forEachValue(v -> seen[0]++);
        assertEquals(ref.size(), seen[0]);
    }
}
