package dev.scapstream.store;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

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

    /**
     * A record type's component accessors, in component order, as handles of type (Object)Object.
     * Unlike Method.invoke, calling one allocates no argument array on every value written.
     */
    public static MethodHandle[] getters(Class<? extends Record> type) {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodType generic = MethodType.methodType(Object.class, Object.class);
        return Arrays.stream(type.getRecordComponents()).map(c -> {
            try {
                return lookup.unreflect(c.getAccessor()).asType(generic);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(type + "." + c.getName() + " is not public", e);
            }
        }).toArray(MethodHandle[]::new);
    }

    /** A record component's value through one of {@link #getters}; accessors of records never throw. */
    public static Object get(MethodHandle getter, Object row) {
        try {
            return (Object) getter.invokeExact(row);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
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
     * (text, bigint, int, boolean, or an enum stored by name).
     */
    public static <R extends Record> java.lang.reflect.Constructor<R> canonicalConstructor(Class<R> type, Class<?>[] types) {
        for (Class<?> t : types) {
            if (t != String.class && t != long.class && t != int.class && t != boolean.class && !t.isEnum()) {
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
