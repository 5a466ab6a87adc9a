package io.pogo.launcher;

import java.lang.classfile.ClassFile;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.util.logging.Logger;

/**
 * The first uses of JDK facilities that {@code pogo run} meets later on its one busy thread, made at once on a thread
 * of their own while Felix starts: each costs its static initialization and cold code once per process, whichever
 * thread pays it. The host's memory size and CPU-time beans (the allocator's components; their first use reads the
 * cgroups), java.util.logging (the framework's bundles), picocli's parser (vm:run's options; its constructor
 * registers converters for the java.time types), the console's lookup (vm:run's terminal check), a pattern switch's
 * bootstrap (the board's and the device tree's switches link their own cases at their first run), and the virtual
 * threads' scheduler (the VM's power-off is one), and the class-file library with a hidden class of its making (the
 * CPU's first compiled region of guest code: 18-22 ms of CPU of cold library code on the vCPU's thread, the pagefill
 * timeline in docs/performance.md). Nothing here changes what the run does: a failure is left to the use that would
 * meet it anyway.
 */
final class RunWarmUp {

    private static final String PICOCLI = "picocli.CommandLine";
    private static final String PICOCLI_SPEC = "picocli.CommandLine$Model$CommandSpec";

    private RunWarmUp() {
    }

    static void start() {
        Thread.ofPlatform().daemon().name("pogo-run-warm-up").start(RunWarmUp::warm);
    }

    private static void warm() {
        try {
            ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize();
            ManagementFactory.getThreadMXBean();
            Logger.getLogger(RunWarmUp.class.getName());
            parseNothing();
            System.console();
            lengthOf(PICOCLI);
            Thread.ofVirtual().name("pogo-run-warm-up").start(() -> { }).join();
            MethodHandles.lookup().defineHiddenClass(countingClass(), false);
        } catch (RuntimeException | LinkageError | IllegalAccessException e) {
            // the use that meets it later reports it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A pattern switch: its first run links the JDK's bootstrap for such switches. */
    private static int lengthOf(Object value) {
        return switch (value) {
            case String text -> text.length();
            default -> 0;
        };
    }

    /**
     * A class whose one method counts down in a loop: a branch back, so that the library computes a stack map frame
     * as it does for every region's loops.
     */
    private static byte[] countingClass() {
        return ClassFile.of().build(ClassDesc.of(RunWarmUp.class.getPackageName(), "Counting"), type -> type
                .withMethodBody("countDown", MethodTypeDesc.of(ConstantDescs.CD_long, ConstantDescs.CD_long),
                        ClassFile.ACC_STATIC, code -> {
                            Label loop = code.newLabel();
                            code.labelBinding(loop)
                                    .lload(0).lconst_1().lsub().lstore(0)
                                    .lload(0).lconst_0().lcmp().ifne(loop)
                                    .lload(0).lreturn();
                        }));
    }

    /** picocli is on `pogo run`'s class path (the bundles are), but not the launcher's compile-time dependency. */
    private static void parseNothing() {
        try {
            ClassLoader loader = RunWarmUp.class.getClassLoader();
            Class<?> commandLine = Class.forName(PICOCLI, true, loader);
            Object spec = Class.forName(PICOCLI_SPEC, true, loader).getMethod("create").invoke(null);
            Object parser = commandLine.getConstructor(Object.class).newInstance(spec);
            commandLine.getMethod("parseArgs", String[].class).invoke(parser, (Object) new String[0]);
        } catch (ReflectiveOperationException e) {
            // vm:run meets it, and says so
        }
    }
}
