package dev.custody.remote;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The types an {@link ObjectServer} may send to clients, and for each the members a client may use.
 *
 * <p>A member name covers both reading it as a property ({@code name()}, {@code getName()} or
 * {@code isName()} with no arguments) and invoking the public methods of that name. An object is
 * exported under the first allowed type it is an instance of, and only that type's public methods
 * are reachable, so allowing an interface exposes the interface and nothing of the class behind it.
 *
 * <pre>{@code
 * Allowlist allow = Allowlist.builder().allow(Catalog.class, "name", "item").allow(Item.class, "label").build();
 * }</pre>
 */
public final class Allowlist {
    private final Map<Class<?>, Set<String>> members;

    private Allowlist(Map<Class<?>, Set<String>> members) {
        this.members = Map.copyOf(members);
    }

    /**
     * A new, empty builder.
     *
     * @return a builder that allows no type yet
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether an object of this class may be sent: it is an allowed type, or a subtype of one.
     *
     * @param type the object's runtime class
     * @return true if {@code type} is exported under some allowed type
     */
    public boolean exports(Class<?> type) {
        return exportedAs(type) != null;
    }

    /**
     * The allowed types, and their members.
     *
     * @return an unmodifiable map from each allowed type to the unmodifiable set of its allowed
     *     member names
     */
    public Map<Class<?>, Set<String>> members() {
        return members;
    }

    /** The allowed type {@code type} is exported as, or null. */
    Class<?> exportedAs(Class<?> type) {
        if (members.containsKey(type)) {
            return type;
        }
        for (Class<?> allowed : members.keySet()) {
            if (allowed.isAssignableFrom(type)) {
                return allowed;
            }
        }
        return null;
    }

    /**
     * The public methods named {@code member} of the type {@code type} is exported as.
     *
     * @throws io.grpc.StatusRuntimeException PERMISSION_DENIED when the type or member is not allowed
     */
    List<Method> methods(Class<?> type, String member) {
        Class<?> as = exportedAs(type);
        if (as == null) {
            throw Failures.notExported(type);
        }
        if (!members.get(as).contains(member)) {
            throw Failures.notAllowed(as, member);
        }
        return Arrays.stream(as.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getDeclaringClass() != Object.class)
                .filter(m -> serves(m, member))
                .toList();
    }

    /** Whether {@code m} is the member itself or its {@code get}/{@code is} accessor. */
    private static boolean serves(Method m, String member) {
        return m.getName().equals(member) || m.getName().equals(accessor("get", member))
                || m.getName().equals(accessor("is", member));
    }

    private static String accessor(String prefix, String member) {
        return member.isEmpty() ? prefix : prefix + Character.toUpperCase(member.charAt(0)) + member.substring(1);
    }

    /** Collects allowed types and members. */
    public static final class Builder {
        private final Map<Class<?>, Set<String>> members = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Allows {@code type} to be sent, with the given members. Allowing a type again adds the
         * new members to those allowed before.
         *
         * @param type the class or interface whose instances may be sent; only its public methods
         *     are reachable
         * @param names the member names a client may use: each names a public instance method of
         *     {@code type}, or a property with a {@code get} or {@code is} accessor; none allows
         *     the type to be sent with no usable members
         * @return this builder
         * @throws IllegalArgumentException if a member names no public instance method of the type
         */
        public Builder allow(Class<?> type, String... names) {
            for (String name : names) {
                boolean found = Arrays.stream(type.getMethods())
                        .anyMatch(m -> !Modifier.isStatic(m.getModifiers()) && serves(m, name));
                if (!found) {
                    throw new IllegalArgumentException(type.getName() + " has no public method for member '" + name + "'");
                }
            }
            members.merge(type, Set.of(names), (a, b) -> {
                var all = new HashSet<>(a);
                all.addAll(b);
                return Set.copyOf(all);
            });
            return this;
        }

        /**
         * The allowlist of the types and members allowed so far. The builder may be used on; later
         * calls do not change an allowlist already built.
         *
         * @return a new, immutable allowlist
         */
        public Allowlist build() {
            return new Allowlist(members);
        }
    }
}
