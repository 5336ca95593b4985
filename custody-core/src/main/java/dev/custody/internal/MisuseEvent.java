package dev.custody.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR event {@code dev.custody.Misuse}: custody refused a misuse (wrong heap, double free, ...).
 *
 * <p>Its {@code site} field is the user's frame: the first frame of the stack outside
 * custody-core. The JFR stack trace is the whole stack, custody's frames included: JDK 25's
 * {@code @StackFilter}, which would drop them, is in a package that {@code jdk.jfr} does not
 * export, so using it would take an {@code --add-exports} from every user.
 */
@Name("dev.custody.Misuse")
@Label("Custody Misuse")
@Category({"Custody"})
@Description("A misuse of a heap or block that custody caught before it reached native code")
final class MisuseEvent extends jdk.jfr.Event {
    @Label("Kind") String kind;
    @Label("Heap") String heap;
    @Label("Message") String message;
    @Label("Site") @Description("The user's frame that made the misuse: custody's own frames passed over")
    String site;

    static void emit(String kind, String heap, String message) {
        MisuseEvent e = new MisuseEvent();
        if (e.isEnabled()) {
            e.kind = kind;
            e.heap = heap;
            e.message = message;
            e.site = Sites.capture("misuse").caller();
            e.commit();
        }
    }
}
