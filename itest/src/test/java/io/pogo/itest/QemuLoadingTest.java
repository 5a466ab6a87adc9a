package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.itest.PogoCommandTest.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guests built the way outside authors build them (guests/htif: riscv-tests style HTIF tests, pk-style printing,
 * plain {@code -Ttext=0x80000000} programs and their raw images) run under {@code pogo run --bios none} with the
 * console output and exit status they have under {@code qemu-system-riscv64 -bios none}, which each test also runs
 * where QEMU is installed. QEMU 7.2 serves HTIF on its spike machine only (its virt machine ignores tohost), so
 * the HTIF guests are compared with {@code -M spike}; the boot guests with {@code -M virt}.
 */
@Timeout(300)
class QemuLoadingTest {

    private static final String V_PASSED = "htif v: supervisor runs under Sv39\nhtif v: user test passed\n";
    private static final String V_FAILED = "htif v: supervisor runs under Sv39\nhtif v: user test failed\n";
    private static final String CONSOLE = "htif console: hello from hart 0\nhtif console: exit code ";
    private static final String BOOT = "boot: hello from a -Ttext=0x80000000 guest\n";
    /** The test finisher code the boot guests end with. */
    private static final int BOOT_STATUS = 3;

    @TempDir
    Path dir;

    record Run(int status, String out) {
    }

    static Stream<Arguments> htifGuests() {
        return Stream.of(
                Arguments.of("htif-p", 1, 0, ""),
                Arguments.of("htif-p-fail4", 1, 4, ""),
                Arguments.of("htif-p-hart1", 2, 0, ""),
                Arguments.of("htif-p-hart1-fail6", 2, 6, ""),
                Arguments.of("htif-v", 1, 0, V_PASSED),
                Arguments.of("htif-v-fail3", 1, 3, V_FAILED),
                Arguments.of("htif-v", 2, 0, V_PASSED),
                Arguments.of("htif-v-fail3", 2, 3, V_FAILED),
                Arguments.of("htif-console", 1, 0, CONSOLE + "0\n"),
                Arguments.of("htif-console", 2, 0, CONSOLE + "0\n"),
                Arguments.of("htif-console-exit7", 1, 7, CONSOLE + "7\n"));
    }

    /**
     * p: machine-mode word stores to tohost (by hart 1 in the hart1 variants); v: a supervisor's stores through
     * Sv39 while a second hart loads and AMOs every word of the tohost page; console: device 1 putchar, polling
     * fromhost.
     */
    @ParameterizedTest(name = "{0} on {1} hart(s)")
    @MethodSource("htifGuests")
    void htifGuestsEndWithTheirStatusAsOnQemusSpikeMachine(String guest, int harts, int status, String out)
            throws Exception {
        Path elf = Guests.elf(guest + ".elf");
        assertRun(new Run(status, out), pogo("--smp", String.valueOf(harts), "--kernel", elf.toString()));
        if (qemuInstalled()) {
            assertRun(new Run(status, out), qemu("spike", "-smp", String.valueOf(harts), "-kernel", elf.toString()));
        }
    }

    /** Spike's front end serves write and exit for pk-style programs; QEMU 7.2 has no such proxy to compare with. */
    @Test
    void theSyscallProxyWritesToTheConsoleAndExitsAsSpikesFrontEndDoes() throws Exception {
        Run run = pogo("--kernel", Guests.elf("htif-syscall.elf").toString());
        assertRun(new Run(5, "htif console: hello from hart 0\nhtif syscall: write to stdout\n"
                + "htif syscall: write to stderr\nhtif syscall: write returned 30, fd 3 answered -9\n"), run);
    }

    /**
     * Console device command 0: each request is answered in fromhost with the next byte typed. Not compared with
     * QEMU 7.2, which drops bytes that arrive before the guest asks (its riscv_htif.c says so), as piped input does.
     */
    @Test
    void theConsoleDeviceReadsWhatIsTyped() throws Exception {
        Result run = PogoCommandTest.pogo("hi there\n", "run", "--bios", "none", "--kernel",
                Guests.elf("htif-echo.elf").toString());
        assertRun(new Run(0, "htif console: hello from hart 0\nhtif console: read hi there\n"
                + "htif console: exit code 0\n"), new Run(run.status(), run.out()));
    }

    @Test
    void aTtextElfWithItsHeaderPageBelowRamAndItsRawImageRunAsOnQemu() throws Exception {
        for (String image : List.of("boot-ttext.elf", "boot-ttext.bin")) {
            Path file = Guests.elf(image);
            assertRun(new Run(BOOT_STATUS, BOOT), pogo("--kernel", file.toString()));
            if (qemuInstalled()) {
                assertRun(new Run(BOOT_STATUS, BOOT), qemu("virt", "-kernel", file.toString()));
            }
        }
    }

    /** The guest prints the model and bootargs of the tree a1 points to; the model is renamed to prove whose it is. */
    @Test
    void aGivenDeviceTreeReachesTheGuestWithTheCommandLineInChosen() throws Exception {
        Path source = dir.resolve("source.dtb");
        if (qemuInstalled()) {
            runQuietly(List.of("qemu-system-riscv64", "-M", "virt,dumpdtb=" + source, "-m", "128M", "-nographic"));
        } else {
            Result shell = PogoCommandTest.pogo("vm:create d --bios none --kernel " + Guests.elf("boot-dtb.elf")
                    + "\nvm:dtb d " + source + "\n");
            assertEquals(0, shell.status(), shell.err());
        }
        Path tree = renameModel(source, dir.resolve("given.dtb"));
        Run expected = new Run(BOOT_STATUS, BOOT + "model: pogo-given,board\nbootargs: console=ttyS0 quiet\n");
        String kernel = Guests.elf("boot-dtb.elf").toString();
        assertRun(expected, pogo("--kernel", kernel, "--dtb", tree.toString(), "--append", "console=ttyS0 quiet"));
        if (qemuInstalled()) {
            assertRun(expected, qemu("virt", "-kernel", kernel, "-dtb", tree.toString(),
                    "-append", "console=ttyS0 quiet"));
        }
        assertRun(new Run(BOOT_STATUS, BOOT + "model: pogo-given,board\nbootargs: (none)\n"),
                pogo("--kernel", kernel, "--dtb", tree.toString()));
    }

    @Test
    void aFileThatIsNoDeviceTreeIsOneLineAndStatusTwo() throws Exception {
        Path text = Files.writeString(dir.resolve("board.dts"), "/dts-v1/;\n/ { };\n");
        assertUsageError(PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel",
                Guests.elf("boot-dtb.elf").toString(), "--dtb", text.toString()), "not a flattened device tree");
    }

    @Test
    void anElfWithNothingInRamIsOneLineAndStatusTwo() throws Exception {
        Path low = patchedLoads(dir.resolve("low.elf"), address -> address - 0x7000_0000L);
        assertUsageError(PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel", low.toString()),
                "nothing to load in guest RAM");
    }

    @Test
    void aSegmentWrappingPastTheAddressSpaceIsOneLineAndStatusTwo() throws Exception {
        Path wrapping = patchedLoads(dir.resolve("wrapping.elf"), address -> -0x800L);
        assertUsageError(PogoCommandTest.pogo("", "run", "--bios", "none", "--kernel", wrapping.toString()),
                "past the end of the 64-bit address space");
    }

    private static void assertRun(Run expected, Run actual) {
        assertEquals(expected.out(), actual.out());
        assertEquals(expected.status(), actual.status(), actual.out());
    }

    private static void assertUsageError(Result run, String expected) {
        assertEquals(2, run.status(), run.out() + run.err());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), "exactly one line on stderr: " + run.err());
        assertTrue(lines.getFirst().startsWith("pogo: ") && lines.getFirst().contains(expected), run.err());
        assertFalse(run.out().contains("Exception"), run.out());
    }

    private static Run pogo(String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("run", "--bios", "none"));
        args.addAll(List.of(options));
        Result result = PogoCommandTest.pogo("", args.toArray(String[]::new));
        assertEquals("", result.err());
        return new Run(result.status(), result.out());
    }

    /** QEMU's console output (stdout; its log of odd HTIF accesses goes to stderr) and exit status. */
    private static Run qemu(String machine, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("qemu-system-riscv64", "-M", machine, "-m", "128M",
                "-bios", "none", "-nographic"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not finish: "
                    + new String(out.join(), StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), new String(out.join(), StandardCharsets.UTF_8));
    }

    private static boolean qemuInstalled() {
        return Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, "qemu-system-riscv64")));
    }

    private static void runQuietly(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
    }

    /** The tree with its root model "riscv-virtio,qemu" renamed in place (same length, so the blob stays valid). */
    private static Path renameModel(Path source, Path target) throws IOException {
        byte[] blob = Files.readAllBytes(source);
        byte[] from = "riscv-virtio,qemu\0".getBytes(StandardCharsets.US_ASCII);
        byte[] to = "pogo-given,board\0\0".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + from.length <= blob.length; i++) {
            if (Arrays.equals(blob, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, blob, i, to.length);
                return Files.write(target, blob);
            }
        }
        throw new AssertionError("no model riscv-virtio,qemu in " + source);
    }

    /** A copy of boot-ttext.elf whose PT_LOAD physical addresses are moved by {@code move}. */
    private static Path patchedLoads(Path target, LongUnaryOperator move) throws IOException {
        byte[] bytes = Files.readAllBytes(Guests.elf("boot-ttext.elf"));
        ByteBuffer elf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int table = (int) elf.getLong(32);
        for (int i = 0; i < elf.getShort(56); i++) {
            int header = table + i * elf.getShort(54);
            if (elf.getInt(header) == 1) {
                elf.putLong(header + 24, move.applyAsLong(elf.getLong(header + 24)));
            }
        }
        return Files.write(target, bytes);
    }
}
