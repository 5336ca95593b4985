package dev.custody.remote;

import dev.custody.remote.wire.Handle;
import dev.custody.remote.wire.Value;
import dev.custody.remote.wire.ValueList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The server's side of values on the wire: primitives and strings go by value, collections and
 * arrays as lists, and every other object as a new pin of the calling session.
 */
final class ServerValues {
    private final Allowlist allowlist;
    private final long epoch;

    ServerValues(Allowlist allowlist, long epoch) {
        this.allowlist = allowlist;
        this.epoch = epoch;
    }

    /**
     * A result on the wire, and the handles its objects were pinned under (one per object sent,
     * in order; an object sent twice is there twice).
     */
    record Encoded(Value value, long[] handles) {
    }

    /** Encodes a result, pinning its objects for the session all at once (or none, if refused). */
    Encoded encode(Object result, ServerSession session) {
        List<Object> objects = new ArrayList<>();
        collect(result, objects);
        long[] handles = session.pin(objects);
        return new Encoded(build(result, handles, new int[1]), handles);
    }

    /** The object a handle from the wire names, refused unless it is this epoch and this session's. */
    Object target(Handle handle, ServerSession session) {
        if (handle.getEpoch() != epoch) {
            throw Failures.staleEpoch(handle.getEpoch(), epoch);
        }
        return session.target(handle.getId());
    }

    Object decode(Value v, ServerSession session) {
        return switch (v.getKindCase()) {
            case NULL_VALUE, KIND_NOT_SET -> null;
            case BOOL_VALUE -> v.getBoolValue();
            case LONG_VALUE -> v.getLongValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case STRING_VALUE -> v.getStringValue();
            case HANDLE -> target(v.getHandle(), session);
            case LIST -> throw Failures.badArgument("lists are not accepted as arguments");
        };
    }

    private void collect(Object o, List<Object> out) {
        if (Scalars.isScalar(o)) {
            return;
        }
        if (o instanceof Collection<?> c) {
            c.forEach(e -> collect(e, out));
        } else if (o instanceof Object[] a) {
            for (Object e : a) {
                collect(e, out);
            }
        } else if (allowlist.exports(o.getClass())) {
            out.add(o);
        } else {
            throw Failures.notExported(o.getClass());
        }
    }

    private Value build(Object o, long[] handles, int[] next) {
        if (Scalars.isScalar(o)) {
            return Scalars.encode(o);
        }
        Value.Builder b = Value.newBuilder();
        switch (o) {
            case Collection<?> c -> {
                ValueList.Builder l = ValueList.newBuilder();
                c.forEach(e -> l.addItems(build(e, handles, next)));
                b.setList(l);
            }
            case Object[] a -> {
                ValueList.Builder l = ValueList.newBuilder();
                for (Object e : a) {
                    l.addItems(build(e, handles, next));
                }
                b.setList(l);
            }
            default -> b.setHandle(Handle.newBuilder().setEpoch(epoch).setId(handles[next[0]++]));
        }
        return b.build();
    }
}
