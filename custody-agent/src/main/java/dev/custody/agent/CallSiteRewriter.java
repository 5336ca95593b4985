package dev.custody.agent;

import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

import dev.custody.agent.boot.Hooks;
import dev.custody.agent.boot.Sites;
import dev.custody.agent.boot.SiteLabels;
import java.io.ByteArrayInputStream;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LineNumber;
import java.lang.constant.MethodTypeDesc;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;

/**
 * Rewrites the program's calls to the JDK's allocation entry points so that each passes a
 * constant site id, and a block's site costs no stack walk:
 * {@code ByteBuffer.allocateDirect}, the {@code allocate*} methods of {@code Arena} and
 * {@code SegmentAllocator}, the {@code Arena} factories (the arena's creation site), and
 * {@code sun.misc.Unsafe.allocateMemory}/{@code reallocateMemory}.
 *
 * <p>A {@code sun.misc.Unsafe} call passes its site inside the size argument
 * ({@code Hooks.withSite}), which the agent's hook in the JDK's Unsafe takes out again: that path,
 * the one Netty and Arrow take, then needs no per-thread state. Each other call becomes
 * {@code Hooks.enter(id); call; Hooks.exit()}. The id names the frame as
 * {@code pkg.Class.method(File.java:line)}, from the class's own line table. A call that throws
 * before it allocates leaves its site pending until the thread's next rewritten call: only an
 * allocation of the same entry point's kind, made in between by the JDK itself on that thread,
 * could take it, and that allocation would then be booked at this call's site.
 */
final class CallSiteRewriter {
    private static final MethodTypeDesc I_V = MethodTypeDesc.of(CD_void, CD_int);
    private static final MethodTypeDesc V = MethodTypeDesc.of(CD_void);
    private static final MethodTypeDesc J_I_J = MethodTypeDesc.of(CD_long, CD_long, CD_int);
    private static final MethodTypeDesc J_V = MethodTypeDesc.of(CD_void, CD_long);

    private CallSiteRewriter() {}

    /**
     * The rewritten class, or null when it calls no entry point.
     *
     * @param sites whether calls get constant sites (not for a skipped library's classes)
     * @param checkFrees whether {@code sun.misc.Unsafe.freeMemory} calls are checked first (enforce mode)
     */
    static byte[] rewrite(byte[] bytes, ClassLoader loader, Module module, ProtectionDomain domain, boolean sites,
            boolean checkFrees) {
        ClassModel cm = ClassFile.of().parse(bytes);
        java.util.function.Predicate<MethodModel> touches = mm -> callsEntryPoint(mm, sites, checkFrees);
        if (cm.methods().stream().noneMatch(touches)) {
            return null;
        }
        String self = cm.thisClass().asInternalName();
        ClassHierarchyResolver resolver = ClassHierarchyResolver.ofResourceParsing(
                        name -> name.equals(self + ".class") ? new ByteArrayInputStream(bytes) : null)
                .orElse(ClassHierarchyResolver.defaultResolver())
                .orElse(ClassHierarchyResolver.ofResourceParsing(loader));
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver));
        String className = self.replace('/', '.');
        String file = cm.findAttribute(Attributes.sourceFile()).map(a -> a.sourceFile().stringValue()).orElse(null);
        String owner = SiteLabels.owner(className, module.isNamed() ? module.getName() : null, location(domain));
        ClassTransform ct = (clb, ce) -> {
            if (ce instanceof MethodModel mm && touches.test(mm)) {
                clb.transformMethod(mm, MethodTransform.transformingCode(
                        new Wrapping(className, mm.methodName().stringValue(), file, owner, sites, checkFrees)));
            } else {
                clb.with(ce);
            }
        };
        return cf.transformClass(cm, ct);
    }

    private static URL location(ProtectionDomain domain) {
        CodeSource cs = domain == null ? null : domain.getCodeSource();
        return cs == null ? null : cs.getLocation();
    }

    private static boolean callsEntryPoint(MethodModel mm, boolean sites, boolean checkFrees) {
        return mm.code().map(CodeModel::elementStream).map(s -> s.anyMatch(e -> e instanceof InvokeInstruction i
                && (sites && kind(i) != 0 || checkFrees && isUnsafeFree(i)))).orElse(false);
    }

    /** {@code sun.misc.Unsafe.freeMemory(long)}. */
    static boolean isUnsafeFree(InvokeInstruction i) {
        return i.opcode() == Opcode.INVOKEVIRTUAL && i.owner().asInternalName().equals("sun/misc/Unsafe")
                && i.name().equalsString("freeMemory");
    }

    /** The {@link Sites} kind of an entry point, or 0 when the call is not one. */
    static int kind(InvokeInstruction i) {
        String owner = i.owner().asInternalName();
        String name = i.name().stringValue();
        Opcode op = i.opcode();
        return switch (owner) {
            case "java/nio/ByteBuffer" ->
                    op == Opcode.INVOKESTATIC && name.equals("allocateDirect") ? Sites.DIRECT : 0;
            case "java/lang/foreign/Arena" -> switch (name) {
                case "ofConfined", "ofShared", "ofAuto", "global" ->
                        op == Opcode.INVOKESTATIC ? Sites.ARENA_CREATE : 0;
                default -> op == Opcode.INVOKEINTERFACE && name.startsWith("allocate") ? Sites.ARENA_ALLOCATE : 0;
            };
            case "java/lang/foreign/SegmentAllocator" ->
                    op == Opcode.INVOKEINTERFACE && name.startsWith("allocate") ? Sites.ARENA_ALLOCATE : 0;
            case "sun/misc/Unsafe" -> op == Opcode.INVOKEVIRTUAL
                    && (name.equals("allocateMemory") || name.equals("reallocateMemory")) ? Sites.UNSAFE : 0;
            default -> 0;
        };
    }

    /** The code transform of one method: it knows the current line and wraps each entry point's call. */
    private static final class Wrapping implements CodeTransform {
        private final String className;
        private final String method;
        private final String file;
        private final String owner;
        private final boolean sites;
        private final boolean checkFrees;
        private int line = -1;

        Wrapping(String className, String method, String file, String owner, boolean sites, boolean checkFrees) {
            this.className = className;
            this.method = method;
            this.file = file;
            this.owner = owner;
            this.sites = sites;
            this.checkFrees = checkFrees;
        }

        @Override
        public void accept(CodeBuilder b, CodeElement e) {
            if (e instanceof LineNumber ln) {
                line = ln.line();
            } else if (e instanceof InvokeInstruction i) {
                if (checkFrees && isUnsafeFree(i)) {
                    b.dup2(); // [unsafe, address] -> [unsafe, address, address]
                    b.invokestatic(JdkTransforms.HOOKS, "checkFree", J_V);
                    b.with(e);
                    return;
                }
                int kind = sites ? kind(i) : 0;
                if (kind != 0) {
                    int id = Sites.intern(SiteLabels.site(className, method, file, line), kind,
                            kind == Sites.UNSAFE ? owner : null);
                    if (kind == Sites.UNSAFE && Hooks.takesSitesInSizes()) {
                        b.loadConstant(id); // [unsafe, (address,) bytes, id] -> [unsafe, (address,) bytes with the site]
                        b.invokestatic(JdkTransforms.HOOKS, "withSite", J_I_J);
                        b.with(e);
                        return;
                    }
                    b.loadConstant(id);
                    b.invokestatic(JdkTransforms.HOOKS, "enter", I_V);
                    b.with(e);
                    b.invokestatic(JdkTransforms.HOOKS, "exit", V);
                    return;
                }
            }
            b.with(e);
        }
    }
}
