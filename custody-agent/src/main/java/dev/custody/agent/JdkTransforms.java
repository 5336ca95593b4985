package dev.custody.agent;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.Opcode;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.ReturnInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.Set;

/**
 * The JDK's side: the few methods of {@code java.base} that every off-heap block passes through.
 *
 * <ul>
 *   <li>{@code jdk.internal.misc.Unsafe}: {@code allocateMemory}, {@code reallocateMemory} and
 *       {@code freeMemory}, whose natives are not JIT intrinsics, so the hooks stay in place;</li>
 *   <li>the owner points: {@code DirectByteBuffer(int)} and its {@code Deallocator}, the FFM
 *       segment factory ({@code SegmentFactories.allocateNativeInternal}, which knows the session),
 *       the session factories, the temporary buffer cache ({@code sun.nio.ch.Util}), and the
 *       mapped file's {@code FileChannelImpl.Unmapper}.</li>
 * </ul>
 *
 * Each change adds calls to {@link dev.custody.agent.boot.Hooks} and nothing else: no method,
 * field or branch of the JDK's changes, as retransformation requires.
 */
final class JdkTransforms {
    static final String UNSAFE = "jdk/internal/misc/Unsafe";
    static final String DIRECT = "java/nio/DirectByteBuffer";
    static final String DEALLOCATOR = "java/nio/DirectByteBuffer$Deallocator";
    static final String UTIL = "sun/nio/ch/Util";
    static final String SEGMENTS = "jdk/internal/foreign/SegmentFactories";
    static final String SESSIONS = "jdk/internal/foreign/MemorySessionImpl";
    static final String UNMAPPER = "sun/nio/ch/FileChannelImpl$Unmapper";
    static final Set<String> TARGETS = Set.of(UNSAFE, DIRECT, DEALLOCATOR, UTIL, SEGMENTS, SESSIONS, UNMAPPER);

    static final ClassDesc HOOKS = ClassDesc.of("dev.custody.agent.boot.Hooks");
    private static final MethodTypeDesc J_V = MethodTypeDesc.of(CD_void, CD_long);
    private static final MethodTypeDesc JJ_V = MethodTypeDesc.of(CD_void, CD_long, CD_long);
    private static final MethodTypeDesc J_J = MethodTypeDesc.of(CD_long, CD_long);
    private static final MethodTypeDesc JJJ_V = MethodTypeDesc.of(CD_void, CD_long, CD_long, CD_long);
    private static final MethodTypeDesc JJJJ_V = MethodTypeDesc.of(CD_void, CD_long, CD_long, CD_long, CD_long);
    private static final MethodTypeDesc JJ_J = MethodTypeDesc.of(CD_long, CD_long, CD_long);
    private static final MethodTypeDesc O_V = MethodTypeDesc.of(CD_void, CD_Object);
    private static final MethodTypeDesc V = MethodTypeDesc.of(CD_void);

    private JdkTransforms() {}

    static byte[] transform(String className, byte[] bytes) {
        ClassFile cf = ClassFile.of();
        ClassModel cm = cf.parse(bytes);
        ClassTransform ct = (clb, ce) -> {
            CodeTransform code = ce instanceof MethodModel mm ? forMethod(className, mm) : null;
            if (code != null) {
                clb.transformMethod((MethodModel) ce, MethodTransform.transformingCode(code));
            } else {
                clb.with(ce);
            }
        };
        return cf.transformClass(cm, ct);
    }

    private static CodeTransform forMethod(String className, MethodModel mm) {
        String name = mm.methodName().stringValue();
        String type = mm.methodType().stringValue();
        return switch (className + "." + name + type) {
            case UNSAFE + ".allocateMemory(J)J" -> new Allocation();
            case UNSAFE + ".freeMemory(J)V" -> atStart(b -> {
                b.lload(1);
                b.invokestatic(HOOKS, "freed", J_V);
            });
            case UNSAFE + ".reallocateMemory(JJ)J" -> new Reallocation();
            case DIRECT + ".<init>(I)V" -> new DirectConstructor();
            case DEALLOCATOR + ".run()V" -> aroundCall(UNSAFE, "freeMemory", b -> {
                b.aload(0);
                b.getfield(ClassDesc.ofInternalName(DEALLOCATOR), "size", CD_long);
                b.invokestatic(HOOKS, "freeSize", J_V);
            }, b -> {
                b.lconst_0();
                b.invokestatic(HOOKS, "freeSize", J_V);
            });
            case UTIL + ".getTemporaryDirectBuffer(I)Ljava/nio/ByteBuffer;",
                 UTIL + ".getTemporaryAlignedDirectBuffer(II)Ljava/nio/ByteBuffer;" ->
                    aroundCall(UNSAFE, "allocateMemory", b -> b.invokestatic(HOOKS, "ownerTemp", V), OWNER_CLEAR);
            case SEGMENTS + ".allocateNativeInternal(JJLjdk/internal/foreign/MemorySessionImpl;ZZ)J" ->
                    aroundCall(SEGMENTS, "allocateMemoryWrapper", b -> {
                        b.aload(4); // the session: after byteSize (0-1) and byteAlignment (2-3)
                        b.invokestatic(HOOKS, "ownerArena", O_V);
                    }, OWNER_CLEAR);
            case SESSIONS + ".createConfined(Ljava/lang/Thread;)Ljdk/internal/foreign/MemorySessionImpl;",
                 SESSIONS + ".createShared()Ljdk/internal/foreign/MemorySessionImpl;",
                 SESSIONS + ".createImplicit(Ljava/lang/ref/Cleaner;)Ljdk/internal/foreign/MemorySessionImpl;" ->
                    beforeReturn(b -> {
                        b.dup();
                        b.invokestatic(HOOKS, "sessionCreated", O_V);
                    });
            case UNMAPPER + ".<init>(JJJLjava/io/FileDescriptor;I)V" -> beforeReturn(b -> {
                b.lload(1);
                b.lload(3);
                b.invokestatic(HOOKS, "mapped", JJ_V);
            });
            case UNMAPPER + ".unmap()V" -> atStart(b -> {
                b.aload(0);
                b.getfield(ClassDesc.ofInternalName(UNMAPPER), "address", CD_long);
                b.invokestatic(HOOKS, "unmapped", J_V);
            });
            default -> null;
        };
    }

    private interface Emit {
        void to(CodeBuilder b);
    }

    private static CodeTransform atStart(Emit emit) {
        return new CodeTransform() {
            @Override
            public void atStart(CodeBuilder b) {
                emit.to(b);
            }

            @Override
            public void accept(CodeBuilder b, CodeElement e) {
                b.with(e);
            }
        };
    }

    private static CodeTransform beforeReturn(Emit emit) {
        return (b, e) -> {
            if (e instanceof ReturnInstruction) {
                emit.to(b);
            }
            b.with(e);
        };
    }

    private static final Emit OWNER_CLEAR = b -> b.invokestatic(HOOKS, "ownerClear", V);

    /** Announces something before the call, and withdraws it after the call returns. */
    private static CodeTransform aroundCall(String owner, String name, Emit before, Emit after) {
        return (b, e) -> {
            boolean match = calls(e, owner, name);
            if (match) {
                before.to(b);
            }
            b.with(e);
            if (match) {
                after.to(b);
            }
        };
    }

    private static boolean calls(CodeElement e, String owner, String name) {
        return e instanceof InvokeInstruction i && i.owner().asInternalName().equals(owner)
                && i.name().equalsString(name);
    }

    /**
     * {@code DirectByteBuffer(int)}: announces the buffer before its memory is allocated, and hands
     * the buffer's own Cleaner to the books once it is made: the Cleaner (a phantom reference to the
     * buffer) tells the report whether the buffer is still reachable, with no reference of the agent's.
     */
    private static final class DirectConstructor implements CodeTransform {
        private final CodeTransform owner = aroundCall(UNSAFE, "allocateMemory", b -> {
            b.aload(0);
            b.invokestatic(HOOKS, "ownerDirect", O_V);
        }, OWNER_CLEAR);

        @Override
        public void accept(CodeBuilder b, CodeElement e) {
            owner.accept(b, e);
            if (e instanceof java.lang.classfile.instruction.FieldInstruction f && f.opcode() == Opcode.PUTFIELD
                    && f.name().equalsString("cleaner") && f.owner().asInternalName().equals(DIRECT)) {
                b.aload(0);
                b.getfield(f.owner().asSymbol(), "cleaner", f.typeSymbol());
                b.invokestatic(HOOKS, "directCleaner", O_V);
            }
        }
    }

    /** Takes the site out of the size in slot {@code slot} into a new local, whose slot it returns. */
    private static int takeSite(CodeBuilder b, int slot) {
        int site = b.allocateLocal(TypeKind.LONG);
        b.lload(slot);
        b.invokestatic(HOOKS, "siteIn", J_J);
        b.lstore(site);
        b.lload(slot);
        b.lload(site);
        b.invokestatic(HOOKS, "sizeIn", JJ_J);
        b.lstore(slot);
        return site;
    }

    /** {@code allocateMemory(bytes)}: the site out of the size first; the block booked at each return. */
    private static final class Allocation implements CodeTransform {
        private int site;

        @Override
        public void atStart(CodeBuilder b) {
            site = takeSite(b, 1);
        }

        @Override
        public void accept(CodeBuilder b, CodeElement e) {
            if (e instanceof ReturnInstruction) {
                b.dup2();
                b.lload(1);
                b.lload(site);
                b.invokestatic(HOOKS, "allocated", JJJ_V);
            }
            b.with(e);
        }
    }

    /**
     * {@code reallocateMemory(address, bytes)}: the old block leaves the books first (its address
     * may be reused by another thread the moment realloc returns), the new one enters at the
     * return, and a throw puts the old one back.
     */
    private static final class Reallocation implements CodeTransform {
        private int old;
        private int site;
        private Label start;

        @Override
        public void atStart(CodeBuilder b) {
            site = takeSite(b, 3);
            old = b.allocateLocal(TypeKind.LONG);
            b.lload(1);
            b.invokestatic(HOOKS, "reallocBegin", J_J);
            b.lstore(old);
            start = b.newBoundLabel();
        }

        @Override
        public void accept(CodeBuilder b, CodeElement e) {
            if (e instanceof ReturnInstruction r && r.opcode() == Opcode.LRETURN) {
                b.dup2();
                b.lload(3);
                b.lload(old);
                b.lload(site);
                b.invokestatic(HOOKS, "reallocEnd", JJJJ_V);
            }
            b.with(e);
        }

        @Override
        public void atEnd(CodeBuilder b) {
            Label end = b.newBoundLabel();
            Label handler = b.newBoundLabel();
            b.lload(1);
            b.lload(old);
            b.invokestatic(HOOKS, "reallocFailed", JJ_V);
            b.athrow();
            b.exceptionCatchAll(start, end, handler);
        }
    }
}
