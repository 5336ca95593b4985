package dev.custody.agent;

import dev.custody.agent.boot.Books;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/** The MXBean of one source kind; each read takes the books anew. */
final class AgentSourceBean implements AgentSourceMXBean {
    private final String kind;

    AgentSourceBean(String kind) {
        this.kind = kind;
    }

    @Override
    public String getKind() {
        return kind;
    }

    @Override
    public long getLiveBytes() {
        return Books.of(kind).liveBytes();
    }

    @Override
    public long getLiveBlocks() {
        return Books.of(kind).liveBlocks();
    }

    @Override
    public long getAllocations() {
        return Books.of(kind).allocations();
    }

    @Override
    public long getFrees() {
        return Books.of(kind).frees();
    }

    @Override
    public Map<String, Long> getLiveBytesByOwner() {
        return byOwner(Books.Figures::liveBytes);
    }

    @Override
    public Map<String, Long> getLiveBlocksByOwner() {
        return byOwner(Books.Figures::liveBlocks);
    }

    private Map<String, Long> byOwner(ToLongFunction<Books.Figures> figure) {
        Map<String, Long> out = new LinkedHashMap<>();
        Books.byOwner(kind).forEach((owner, f) -> out.put(owner, figure.applyAsLong(f)));
        return out;
    }
}
