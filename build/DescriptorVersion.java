import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The build's one helper, run by the root pom after javac on each module that has a descriptor:
 * {@code java build/DescriptorVersion.java target/classes/module-info.class}. It writes the
 * descriptor's class file version as 61 (Java 17), so that the tools Maven runs inside its own JVM
 * on the machine's default JDK 17 (plexus-java's module reader in the compiler and Javadoc plugins,
 * the jar tool of the modular-jar step) can read it; JDK 17's reader refuses version 69 ("Unsupported
 * major.minor version 69.0"). A module descriptor holds no code, and its format is the same from
 * Java 9 on, so the version says nothing about the classes beside it, which stay release 25.
 */
public final class DescriptorVersion {
    private static final int JAVA_17 = 61;
    private static final int ACC_MODULE = 0x8000;

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        byte[] b = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(b);
        if (b.length < 10 || buf.getInt(0) != 0xCAFEBABE) {
            throw new IOException(file + " is not a class file");
        }
        int major = buf.getShort(6) & 0xFFFF;
        if (major <= JAVA_17) {
            return;
        }
        // access_flags follow the constant pool; a descriptor has ACC_MODULE there: check it is one
        int at = constantPoolEnd(buf);
        if ((buf.getShort(at) & ACC_MODULE) == 0) {
            throw new IOException(file + " is not a module descriptor");
        }
        buf.putShort(4, (short) 0).putShort(6, (short) JAVA_17);
        Files.write(file, b);
    }

    private static int constantPoolEnd(ByteBuffer buf) {
        int count = buf.getShort(8) & 0xFFFF;
        int at = 10;
        for (int i = 1; i < count; i++) {
            int tag = buf.get(at) & 0xFF;
            at += switch (tag) {
                case 1 -> 3 + (buf.getShort(at + 1) & 0xFFFF); // Utf8
                case 5, 6 -> { i++; yield 9; }                 // Long, Double take two slots
                case 3, 4, 9, 10, 11, 12, 17, 18 -> 5;
                case 7, 8, 16, 19, 20 -> 3;                     // Class, String, MethodType, Module, Package
                case 15 -> 4;                                   // MethodHandle
                default -> throw new IllegalStateException("constant pool tag " + tag);
            };
        }
        return at;
    }
}
