package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code pogo} shell as a user meets it, scripted through stdin: help per scope, errors as one sentence, the
 * console at the end of input, and VM definition files (each run with a definitions folder and state of its own).
 */
@Timeout(120)
class ShellTest {

    private static final Pattern JAVA_NAMES = Pattern.compile("Exception|Error:|java\\.|\\tat ");

    @TempDir
    Path etc;
    @TempDir
    Path state;

    private PogoCommandTest.Result shell(String script) throws IOException, InterruptedException {
        return PogoCommandTest.pogo(Map.of("POGO_ETC", etc.toString(), "POGO_STATE", state.toString()),
                Duration.ofSeconds(90), script);
    }

    @Test
    void helpListsTheCommandsOfEachScopeOneLineEach() throws Exception {
        PogoCommandTest.Result run = shell("help vm\nhelp alloc\nhelp dispatch\nhelp net\nhelp dev\nhelp vm:create\n");
        assertEquals(0, run.status(), run.err());
        assertEquals("", run.err());
        for (String command : List.of("vm:create", "vm:start", "vm:stop", "vm:console", "vm:list", "vm:info",
                "alloc:use", "alloc:cap", "alloc:weight", "alloc:policies", "alloc:memcap", "dispatch:stats",
                "dispatch:routes", "net:switches", "net:link", "dev:list")) {
            assertTrue(Pattern.compile("(?m)^" + command + " +\\S.*$").matcher(run.out()).find(),
                    command + " has no line of its own in: " + run.out());
        }
        assertTrue(run.out().contains("usage: vm:create <VM name> <options>..."), run.out());
    }

    @Test
    void commandErrorsAreOnePlainSentenceEach() throws Exception {
        String hello = Guests.elf("hello.elf").toString();
        PogoCommandTest.Result run = shell("vm:info nosuch\nalloc:weight nosuch 5\nvm:create s --bios none --kernel "
                + hello + "\nalloc:cap s abc\nalloc:cap s\nnosuchcommand\nvm:create t --bogus\nalloc:use memory eager\n"
                + "vm:create full --bios none --kernel " + hello + "\nalloc:memcap full 16M\n");
        assertEquals(0, run.status(), run.err());
        assertEquals(List.of(
                "no VM named nosuch",
                "no VM named nosuch",
                "alloc:cap: 'abc' is not a percentage of one host CPU (a whole number; 0 removes the cap)",
                "alloc:cap: wrong arguments; usage: alloc:cap <VM name> <percent>",
                "nosuchcommand: no such command (type help to list the commands)",
                "Unknown option: '--bogus'",
                "alloc:memcap: full's RAM was backed in full when it was created: only RAM backed on demand can be"
                        + " capped (alloc:use memory on-demand, then create the VM)"), run.err().lines().toList());
        assertFalse(JAVA_NAMES.matcher(run.out() + run.err()).find(), run.out() + run.err());
    }

    @Test
    void consoleFromAScriptDetachesAtTheEndOfInputAndTheShellEnds() throws Exception {
        String echo = Guests.elf("echo.elf").toString();
        PogoCommandTest.Result run = shell("vm:create e --bios none --kernel " + echo + "\nvm:start e\n"
                + "vm:console e\nhello\n");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("[end of input: detached from e]"), run.out());
    }

    @Test
    void consoleOfAVmThatIsNotRunningRefusesAndLeavesTheInputToTheShell() throws Exception {
        String hello = Guests.elf("hello.elf").toString();
        PogoCommandTest.Result run = shell("vm:create s --bios none --kernel " + hello + "\nvm:console s\nvm:list\n");
        assertEquals(0, run.status(), run.err());
        assertEquals("VM s is created; start it first (vm:start s)", run.err().strip());
        assertTrue(Pattern.compile("(?m)^s\\s+created").matcher(run.out()).find(), run.out());
    }

    @Test
    void definitionsFollowTheirFilesAndEveryProblemNamesItsFile() throws Exception {
        String options = "options = --bios none --kernel " + Guests.elf("hello.elf") + "\n";
        Path first = Files.writeString(etc.resolve("io.pogo.vm-first.cfg"), "name = dup\n" + options);
        Path second = Files.writeString(etc.resolve("io.pogo.vm-second.cfg"), "name = dup\n" + options);
        Path kept = Files.writeString(etc.resolve("io.pogo.vm-kept.cfg"), "name = kept\n" + options);
        Path nameless = Files.writeString(etc.resolve("io.pogo.vm-nameless.cfg"), options);
        Path garbage = Files.writeString(etc.resolve("io.pogo.vm-garbage.cfg"), "name = \\uZZZZ\n");

        PogoCommandTest.Result before = shell("vm:list\n");
        assertEquals(0, before.status(), before.err());
        assertTrue(Pattern.compile("(?m)^dup\\s+created").matcher(before.out()).find(), before.out());
        assertTrue(Pattern.compile("(?m)^kept\\s+created").matcher(before.out()).find(), before.out());
        List<String> problems = before.err().lines().sorted().toList();
        assertEquals(3, problems.size(), before.err());
        assertTrue(problems.contains("pogo: " + garbage + ": not a valid definition file (Unable to parse unicode value: ZZZZ)"),
                before.err());
        assertTrue(problems.contains("pogo: " + nameless + ": no VM name (add a line: name = NAME)"), before.err());
        assertTrue(problems.stream().anyMatch(line -> line.matches("pogo: .*io\\.pogo\\.vm-(first|second)\\.cfg: VM dup is "
                + "already defined by .*io\\.pogo\\.vm-(first|second)\\.cfg; this definition is ignored")), before.err());

        Files.delete(first);
        Files.delete(second);
        Files.delete(nameless);
        Files.delete(garbage);
        PogoCommandTest.Result after = shell("vm:list\n");
        assertEquals(0, after.status(), after.err());
        assertEquals("", after.err());
        assertFalse(Pattern.compile("(?m)^dup\\s").matcher(after.out()).find(), after.out());
        assertTrue(Pattern.compile("(?m)^kept\\s+created").matcher(after.out()).find(), after.out());
        assertTrue(Files.exists(kept));
    }

    /** As in Karaf's etc: definition files are read, a bundle archive or any other file there is left alone. */
    @Test
    void onlyDefinitionFilesOfTheDefinitionsFolderAreRead() throws Exception {
        Files.writeString(etc.resolve("io.pogo.vm-kept.cfg"),
                "name = kept\noptions = --bios none --kernel " + Guests.elf("hello.elf") + "\n");
        Files.copy(ExampleDeviceTest.exampleJar(), etc.resolve("device-rng.jar"));
        Files.writeString(etc.resolve("console.log"), "root@pogo:/# \n".repeat(1000));

        PogoCommandTest.Result run = shell("vm:list\ndev:list\n");
        assertEquals(0, run.status(), run.err());
        assertEquals("", run.err());
        assertTrue(Pattern.compile("(?m)^kept\\s+created").matcher(run.out()).find(), run.out());
        assertFalse(run.out().contains("timeriomem-rng"), "the archive in etc/ was installed: " + run.out());
    }

    @Test
    void aRememberedPolicyWhoseBundleIsAbsentIsOneWarningAndTheDefaultDecides() throws Exception {
        Path remembered = state.resolve("config/io/pogo/allocator.config");
        Files.createDirectories(remembered.getParent());
        Files.writeString(remembered, "service.pid=\"io.pogo.allocator\"\nsched=\"lottery\"\n");

        String hello = Guests.elf("hello.elf").toString();
        PogoCommandTest.Result later = shell("vm:create a --bios none --kernel " + hello + "\nvm:start a\n"
                + "alloc:policies\n");
        assertEquals(0, later.status(), later.err());
        assertEquals(List.of("pogo: the sched policy 'lottery' is selected but not installed; round-robin is used "
                + "until it is (alloc:use sched NAME selects another)"), later.err().lines().toList());
        assertTrue(later.out().contains("round-robin*"), later.out());
    }
}
