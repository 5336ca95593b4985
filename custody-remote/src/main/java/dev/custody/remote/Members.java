package dev.custody.remote;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/** Reads properties and invokes methods on allowed members, converting arguments from the wire. */
final class Members {
    private final Allowlist allowlist;
    private final Disclosure disclosure;

    Members(Allowlist allowlist, Disclosure disclosure) {
        this.allowlist = allowlist;
        this.disclosure = disclosure;
    }

    Object get(Object target, String property) {
        for (Method m : allowlist.methods(target.getClass(), property)) {
            if (m.getParameterCount() == 0) {
                return call(m, target, new Object[0]);
            }
        }
        throw Failures.badArgument("'" + property + "' is not a readable property of "
                + allowlist.exportedAs(target.getClass()).getName());
    }

    /** Invokes the first allowed overload of {@code method} that the arguments fit. */
    Object invoke(Object target, String method, List<Object> args) {
        for (Method m : allowlist.methods(target.getClass(), method)) {
            if (m.getParameterCount() == args.size()) {
                Object[] converted = convert(m.getParameterTypes(), args);
                if (converted != null) {
                    return call(m, target, converted);
                }
            }
        }
        throw Failures.badArgument("no allowed overload of '" + method + "' on "
                + allowlist.exportedAs(target.getClass()).getName() + " takes " + describe(args));
    }

    private Object call(Method m, Object target, Object[] args) {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw disclosure.threw(m.getDeclaringClass(), m.getName(), e.getCause());
        } catch (IllegalAccessException e) {
            throw disclosure.serverFailed(new IllegalStateException("cannot call " + m, e));
        }
    }

    /** The arguments converted to the parameter types, or null if one does not fit. */
    private static Object[] convert(Class<?>[] types, List<Object> args) {
        Object[] out = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Object a = args.get(i);
            Class<?> t = types[i];
            Object c;
            if (a instanceof Long l) {
                c = integral(t, l);
            } else if (a instanceof Double d) {
                c = t == double.class || t == Double.class ? d : t == float.class || t == Float.class ? (Object) d.floatValue() : null;
            } else if (a instanceof String s && (t == char.class || t == Character.class)) {
                c = s.length() == 1 ? s.charAt(0) : null;
            } else if (a == null) {
                c = t.isPrimitive() ? null : NULL;
            } else {
                c = (t.isPrimitive() ? wrapper(t) : t).isInstance(a) ? a : null;
            }
            if (c == null) {
                return null;
            }
            out[i] = c == NULL ? null : c;
        }
        return out;
    }

    private static final Object NULL = new Object();

    private static Object integral(Class<?> t, long v) {
        if (t == long.class || t == Long.class) {
            return v;
        }
        if ((t == int.class || t == Integer.class) && v == (int) v) {
            return (int) v;
        }
        if ((t == short.class || t == Short.class) && v == (short) v) {
            return (short) v;
        }
        if ((t == byte.class || t == Byte.class) && v == (byte) v) {
            return (byte) v;
        }
        if (t == double.class || t == Double.class) {
            return (double) v;
        }
        return null;
    }

    private static Class<?> wrapper(Class<?> primitive) {
        return primitive == boolean.class ? Boolean.class : primitive;
    }

    private static String describe(List<Object> args) {
        return args.stream().map(a -> a == null ? "null" : a.getClass().getSimpleName()).toList().toString();
    }
}
