package dev.custody.remote;

import dev.custody.remote.wire.Value;

/** The values that travel by value, the same way in both directions. */
final class Scalars {
    private Scalars() {
    }

    /** Whether {@code o} goes by value: null, booleans, integral and floating numbers, strings, chars, enums. */
    static boolean isScalar(Object o) {
        return o == null || o instanceof Boolean || o instanceof Long || o instanceof Integer || o instanceof Short
                || o instanceof Byte || o instanceof Double || o instanceof Float || o instanceof CharSequence
                || o instanceof Character || o instanceof Enum<?>;
    }

    /** Encodes a value for which {@link #isScalar} holds. */
    static Value encode(Object o) {
        Value.Builder b = Value.newBuilder();
        switch (o) {
            case null -> b.setNullValue(true);
            case Boolean z -> b.setBoolValue(z);
            case Double d -> b.setDoubleValue(d);
            case Float f -> b.setDoubleValue(f);
            case Long n -> b.setLongValue(n);
            case Integer n -> b.setLongValue(n);
            case Short n -> b.setLongValue(n);
            case Byte n -> b.setLongValue(n);
            case CharSequence s -> b.setStringValue(s.toString());
            case Character c -> b.setStringValue(c.toString());
            case Enum<?> e -> b.setStringValue(e.name());
            default -> throw new IllegalArgumentException(o.getClass().getName() + " does not go by value");
        }
        return b.build();
    }
}
