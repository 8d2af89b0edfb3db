package dev.scapstream.capture;

import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * RecordLayout and NativeShim mirror native/src/scapstream.h by hand: every constant the header
 * defines and every field offset its record comments give must have its Java twin, of equal value.
 * A header change without its Java change fails here, not as misread records.
 */
class RecordLayoutTest {
    private static final Pattern DEFINE = Pattern.compile("(?m)^#define SS_(\\w+) (-?(?:0x[0-9a-fA-F]+|\\d+))u?\\b");

    /** Header names whose Java twin is named otherwise. */
    private static final Map<String, String> RENAMED = Map.of(
            "THREAD_FIXED", "TH_STRINGS", "CONTAINER_FIXED", "CT_STRINGS", "FD_FIXED", "FD_STRINGS");
    /** Header constants Java has no use for (the record's length is in its own header). */
    private static final Set<String> NATIVE_ONLY = Set.of("MEMORY_SIZE", "SKIPPED_SIZE");

    /** Per record comment: the field's words in the header, and its Java constant. */
    private static final Map<String, Map<String, String>> FIELDS = Map.of(
            "SS_REC_EVENT", ordered("event type", "EV_TYPE", "name id", "EV_NAME_ID", "ts", "EV_TS", "tid", "EV_TID",
                    "res", "EV_RES", "extra", "EV_EXTRA", "cpu", "EV_CPU", "flags", "EV_FLAGS", "fd type", "EV_FDTYPE",
                    "container key", "EV_CONTAINER", "fd key", "EV_FDKEY", "fd number", "EV_FDNUM", "kind", "KIND", "len", "LEN"),
            "SS_REC_THREAD", ordered("tid", "TH_TID", "pid", "TH_PID", "ptid", "TH_PTID", "clone_ts", "TH_CLONE_TS",
                    "exec_ts", "TH_EXEC_TS", "uid", "TH_UID", "container key", "TH_CONTAINER", "flags", "TH_FLAGS",
                    "vpid", "TH_VPID"),
            "SS_REC_CONTAINER", ordered("key", "CT_KEY", "runtime type", "CT_TYPE", "lookup state", "CT_LOOKUP"),
            "SS_REC_FD", ordered("key", "FD_KEY", "fd type", "FD_TYPE", "l4 proto", "FD_L4", "role", "FD_ROLE",
                    "sport", "FD_SPORT", "dport", "FD_DPORT"),
            "SS_REC_MEMORY", ordered("pid", "MEM_PID", "ts", "MEM_TS", "vm_size kB", "MEM_VMSIZE", "vm_rss kB", "MEM_VMRSS",
                    "vm_swap kB", "MEM_VMSWAP", "minor page faults", "MEM_PF"));

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static String header() throws Exception {
        return Files.readString(TestData.repo().resolve("native/src/scapstream.h"));
    }

    private static Map<String, Long> javaConstants() throws Exception {
        Map<String, Long> m = new HashMap<>();
        for (Class<?> c : new Class<?>[] {RecordLayout.class, NativeShim.class}) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                    f.setAccessible(true);
                    Long old = m.put(f.getName(), (long) f.getInt(null));
                    assertNull(old, f.getName() + " defined in both RecordLayout and NativeShim");
                }
            }
        }
        return m;
    }

    @Test
    void everyDefineHasItsJavaTwin() throws Exception {
        Map<String, Long> java = javaConstants();
        Matcher m = DEFINE.matcher(header());
        int seen = 0;
        while (m.find()) {
            String name = m.group(1);
            if (name.equals("LIBS_VERSION") || NATIVE_ONLY.contains(name)) continue;
            long value = Long.decode(m.group(2));
            String twin = RENAMED.getOrDefault(name, name);
            assertTrue(java.containsKey(twin), "SS_" + name + " has no Java constant " + twin);
            assertEquals(value, java.get(twin), "SS_" + name + " vs " + twin);
            seen++;
        }
        assertTrue(seen >= 35, "only " + seen + " defines read from scapstream.h");
    }

    @Test
    void everyFieldOffsetInTheRecordCommentsHasItsJavaTwin() throws Exception {
        String h = header();
        Map<String, Long> java = javaConstants();
        for (Map.Entry<String, Map<String, String>> rec : FIELDS.entrySet()) {
            int at = h.indexOf("/* " + rec.getKey());
            assertTrue(at >= 0, rec.getKey() + "'s comment");
            String comment = h.substring(at, h.indexOf("*/", at)).replaceAll("\\s*\\*\\s*", " ");
            for (Map.Entry<String, String> f : rec.getValue().entrySet()) {
                Matcher m = Pattern.compile("(\\d+) [ui]\\d+ " + Pattern.quote(f.getKey()) + "\\b").matcher(comment);
                assertTrue(m.find(), rec.getKey() + ": no offset for '" + f.getKey() + "' in: " + comment);
                assertEquals(Long.parseLong(m.group(1)), java.get(f.getValue()),
                        rec.getKey() + " " + f.getKey() + " vs RecordLayout." + f.getValue());
            }
        }
    }

    @Test
    void theLoadedLibraryIsOfTheHeadersAbi() throws Exception {
        NativeShim.ensureLoaded();
        Matcher m = Pattern.compile("#define SS_ABI_VERSION (\\d+)").matcher(header());
        assertTrue(m.find());
        assertEquals(Integer.parseInt(m.group(1)), NativeShim.ss_abi_version());
    }
}
