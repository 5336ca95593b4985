package dev.custody.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code dev.custody.Misuse}: custody refused a misuse (wrong heap, double free, ...). */
@Name("dev.custody.Misuse")
@Label("Custody Misuse")
@Category({"Custody"})
@Description("A misuse of a heap or block that custody caught before it reached native code")
final class MisuseEvent extends jdk.jfr.Event {
    @Label("Kind") String kind;
    @Label("Heap") String heap;
    @Label("Message") String message;

    static void emit(String kind, String heap, String message) {
        MisuseEvent e = new MisuseEvent();
        if (e.isEnabled()) {
            e.kind = kind;
            e.heap = heap;
            e.message = message;
            e.commit();
        }
    }
}
