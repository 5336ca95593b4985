package dev.custody.ffi;

import dev.custody.ffi.reference.ReferencePlugin;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference plugin is a fixture for custody's own modules, not API: the old module exported it to all. */
class ModuleExportsTest {

    @Test
    void theReferencePluginIsExportedOnlyToTheCommandLine() throws Exception {
        ModuleDescriptor d;
        Module m = NativePlugin.class.getModule();
        if (m.isNamed()) {
            d = m.getDescriptor();
        } else {
            Path classes = Path.of(NativePlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
                d = ModuleDescriptor.read(in);
            }
        }
        Map<String, Set<String>> exports = d.exports().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
        assertThat(exports).containsOnlyKeys("dev.custody.ffi", ReferencePlugin.class.getPackageName());
        assertThat(exports.get("dev.custody.ffi")).isEmpty();
        assertThat(exports.get(ReferencePlugin.class.getPackageName())).containsExactly("dev.custody.cli");
    }
}
