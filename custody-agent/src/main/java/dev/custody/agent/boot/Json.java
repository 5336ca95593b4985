package dev.custody.agent.boot;

/** A small JSON writer: the agent's report is its only output, and the agent may not bring a library onto the bootstrap path. */
final class Json {
    private final StringBuilder b = new StringBuilder(4096);
    private boolean first = true;

    Json begin(char bracket) {
        comma();
        b.append(bracket);
        first = true;
        return this;
    }

    Json end(char bracket) {
        b.append(bracket);
        first = false;
        return this;
    }

    Json key(String k) {
        comma();
        string(k);
        b.append(':');
        first = true;
        return this;
    }

    Json value(String v) {
        comma();
        if (v == null) {
            b.append("null");
        } else {
            string(v);
        }
        first = false;
        return this;
    }

    Json value(long v) {
        comma();
        b.append(v);
        first = false;
        return this;
    }

    Json value(Long v) {
        comma();
        b.append(v == null ? "null" : v.toString());
        first = false;
        return this;
    }

    Json value(Boolean v) {
        comma();
        b.append(v == null ? "null" : v.toString());
        first = false;
        return this;
    }

    Json field(String k, String v) {
        return key(k).value(v);
    }

    Json field(String k, long v) {
        return key(k).value(v);
    }

    Json field(String k, Boolean v) {
        return key(k).value(v);
    }

    private void comma() {
        if (!first) {
            b.append(',');
        }
        first = false;
    }

    private void string(String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
