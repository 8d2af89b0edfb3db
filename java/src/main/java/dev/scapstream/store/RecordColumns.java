package dev.scapstream.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** What every backend's record-to-column mapping shares: names, accessors, enums by name. */
public final class RecordColumns {
    private RecordColumns() {}

    /** cpuUserNs -> cpu_user_ns */
    public static String column(String component) {
        StringBuilder b = new StringBuilder();
        for (char c : component.toCharArray()) {
            if (Character.isUpperCase(c)) b.append('_').append(Character.toLowerCase(c));
            else b.append(c);
        }
        return b.toString();
    }

    /** A record component's value (accessors of public records never throw checked exceptions). */
    public static Object get(Method accessor, Object row) {
        try {
            return accessor.invoke(row);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The constant of an enum by its name, or null when it has none of that name. */
    public static Object enumByName(Class<?> type, String name) {
        for (Object c : type.getEnumConstants()) {
            if (((Enum<?>) c).name().equals(name)) return c;
        }
        return null;
    }

    /**
     * The record's canonical constructor, after checking that every component has a column type
     * (text, bigint, int, or an enum stored by name).
     */
    public static <R extends Record> java.lang.reflect.Constructor<R> canonicalConstructor(Class<R> type, Class<?>[] types) {
        for (Class<?> t : types) {
            if (t != String.class && t != long.class && t != int.class && !t.isEnum()) {
                throw new IllegalStateException(type.getSimpleName() + ": no column mapping for " + t);
            }
        }
        try {
            return type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
    }
}
