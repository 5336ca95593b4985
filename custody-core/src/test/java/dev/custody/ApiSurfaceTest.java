package dev.custody;

import dev.custody.debug.DebugHeap;
import dev.custody.scoped.Frame;
import dev.custody.scoped.Region;
import dev.custody.scoped.Slab;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The public API cannot be implemented or reached into from outside: sealed types, internals behind qualified exports. */
class ApiSurfaceTest {

    @Test
    void thePublicInterfacesAreSealed() {
        for (Class<?> c : List.of(Heap.class, Block.class, SharedBlock.class, BlockView.class, Region.class, Slab.class,
                Frame.class, DebugHeap.class)) {
            assertThat(c.isSealed()).as("%s is sealed", c.getName()).isTrue();
        }
    }

    /** custody-core's descriptor, whether the tests run it as a named module or from its classes directory. */
    private static ModuleDescriptor descriptor() throws IOException {
        if (Heap.class.getModule().isNamed()) {
            return Heap.class.getModule().getDescriptor();
        }
        try (InputStream in = java.nio.file.Files.newInputStream(classes().resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    private static java.nio.file.Path classes() {
        try {
            return java.nio.file.Path.of(Heap.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void internalsAreExportedOnlyToCustodysOwnModules() throws IOException {
        Map<String, Set<String>> exports = descriptor().exports().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
        assertThat(exports).containsOnlyKeys("dev.custody", "dev.custody.debug", "dev.custody.nativeheap",
                "dev.custody.observe", "dev.custody.scoped", "dev.custody.nativeheap.internal");
        assertThat(exports.get("dev.custody.nativeheap.internal")).containsExactlyInAnyOrder("dev.custody.ffi",
                "dev.custody.game");
        for (String open : List.of("dev.custody", "dev.custody.debug", "dev.custody.nativeheap", "dev.custody.observe",
                "dev.custody.scoped")) {
            assertThat(exports.get(open)).as("%s is exported to all", open).isEmpty();
        }
    }

    /** The old module exported Libc, BundledLibrary and the JFR events, whose public emit let anyone forge events. */
    @Test
    void noExportedClassIsAJfrEventOrAnInternalHelper() throws Exception {
        Set<String> open = descriptor().exports().stream().filter(e -> e.targets().isEmpty())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        List<Class<?>> exported = new ArrayList<>();
        for (String name : classNames()) {
            int dot = name.lastIndexOf('.');
            if (open.contains(name.substring(0, dot))) {
                exported.add(Class.forName(name, false, Heap.class.getClassLoader()));
            }
        }
        assertThat(exported).as("classes of the exported packages").hasSizeGreaterThan(20);
        for (Class<?> c : exported) {
            assertThat(jdk.jfr.Event.class.isAssignableFrom(c)).as("%s is a JFR event", c.getName()).isFalse();
            if (Modifier.isPublic(c.getModifiers())) {
                assertThat(c.getSimpleName()).as("exported helper").isNotIn("Libc", "BundledLibrary", "Downcalls");
                for (Method m : c.getDeclaredMethods()) {
                    assertThat(Modifier.isPublic(m.getModifiers()) && m.getName().equals("emit"))
                            .as("public %s.emit", c.getName()).isFalse();
                }
            }
        }
    }

    /** The class names of custody-core's main classes, from its module or its classes directory. */
    private static List<String> classNames() throws IOException {
        Module m = Heap.class.getModule();
        if (m.isNamed() && m.getLayer() != null) {
            ModuleReference ref = m.getLayer().configuration().findModule(m.getName()).orElseThrow().reference();
            try (ModuleReader r = ref.open(); Stream<String> s = r.list()) {
                return s.filter(n -> n.endsWith(".class") && !n.contains("-")).map(ApiSurfaceTest::className).toList();
            }
        }
        java.nio.file.Path root = classes();
        try (Stream<java.nio.file.Path> s = java.nio.file.Files.walk(root)) {
            return s.map(p -> root.relativize(p).toString()).filter(n -> n.endsWith(".class") && !n.contains("-"))
                    .map(ApiSurfaceTest::className).toList();
        }
    }

    private static String className(String resource) {
        return resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
    }
}
