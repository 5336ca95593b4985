package dev.custody.junit;

import dev.custody.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The extension named directly, for {@link CustodyExtensionTest}; not run by Surefire. */
@ExtendWith(CustodyExtension.class)
class ExtendedCases {
    @Test
    void leaks() {
        LeakyCases.TRACKED.allocate(24, Tag.of("extended"));
    }

    /** Only this method is checked: the annotation on a method. */
    static class MethodLevel {
        @Test
        @CheckNativeLeaks
        void checked() {
            LeakyCases.TRACKED.allocate(12, Tag.of("method-level"));
        }

        @Test
        void unchecked() {
            LeakyCases.TRACKED.allocate(12, Tag.of("method-level"));
        }
    }
}
