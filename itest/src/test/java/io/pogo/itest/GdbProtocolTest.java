package io.pogo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The GDB stub over a socket, saying what gdb would not: Ctrl-C while the harts run, and a hostile stream of damaged,
 * overlong, unknown, malformed and random packets, which gets protocol errors (NAKs, E22, E14, empty replies) and
 * never a host exception, and after which the guest runs on to its normal end.
 */
@Timeout(300)
class GdbProtocolTest {
    /** Packets that resume, detach, kill or write are said on purpose below, not at random. */
    private static final String HARMLESS = "?gpmHTqZz";
    private static final String ARGUMENT_CHARS = "0123456789abcdefABCDEFxyz,:;=.-pPqQ#$}*";

    @Test
    void ctrlCStopsTheRunningHartsAndDetachLetsTheGuestFinish() throws Exception {
        String elf = Guests.elf("gdb-smp.elf").toString();
        try (GdbProcess pogo = GdbProcess.start(true, "--smp", "2", "--bios", "none", "--kernel", elf);
             RspClient gdb = new RspClient(pogo.port())) {
            assertTrue(gdb.request("qSupported:multiprocess+;swbreak+").contains("qXfer:features:read+"));
            assertEquals("T05thread:01;", gdb.request("?"));
            assertEquals("m01,02", gdb.request("qfThreadInfo"));
            assertEquals("l", gdb.request("qsThreadInfo"));
            assertEquals("OK", gdb.request("Hg2"));
            assertEquals(33 * 16, gdb.request("g").length());
            gdb.sendRaw(RspClient.frame("vCont;c"));
            assertEquals('+', gdb.acknowledgement());
            gdb.sendRaw(new byte[] {0x03});
            assertTrue(gdb.reply().matches("T02thread:0[12];"));
            String pc = gdb.request("p20");
            assertEquals(16, pc.length(), pc);
            assertEquals("OK", gdb.request("D"));
            assertEquals(0, pogo.waitFor(Duration.ofMinutes(1)), pogo.err());
            assertTrue(pogo.out().contains("gdb smp guest done"), pogo.out());
        }
    }

    @Test
    void aHostileStreamGetsProtocolErrorsAndTheGuestRunsOn() throws Exception {
        String elf = Guests.elf("gdb-basic.elf").toString();
        try (GdbProcess pogo = GdbProcess.start(true, "--bios", "none", "--kernel", elf);
             RspClient gdb = new RspClient(pogo.port())) {
            gdb.sendRaw("$g#00".getBytes(StandardCharsets.US_ASCII));
            assertEquals('-', gdb.acknowledgement(), "a bad checksum is NAKed");
            gdb.sendRaw(RspClient.frame("m" + "0".repeat(100_000)));
            assertEquals('-', gdb.acknowledgement(), "a packet longer than PacketSize is NAKed");
            gdb.sendRaw("$g#zz".getBytes(StandardCharsets.US_ASCII));
            assertEquals('-', gdb.acknowledgement());
            assertEquals("", gdb.request("qBogus"));
            assertEquals("", gdb.request("vMustReplyEmpty"));
            assertEquals("", gdb.request("!"));
            assertEquals("E22", gdb.request("mzz,10"));
            assertEquals("E22", gdb.request("m80000000,ffffffff"));
            assertEquals("E22", gdb.request("m80000000"));
            assertEquals("E14", gdb.request("m0,10"), "no RAM there");
            assertEquals("E22", gdb.request("pffffffffffffffffff"));
            assertEquals("E14", gdb.request("p5000"));
            assertEquals("E22", gdb.request("Hg99"));
            assertEquals("E22", gdb.request("G1234"));
            assertEquals("E22", gdb.request("P20"));
            assertEquals("E22", gdb.request("M80000000,4:12"));
            assertEquals("E22", gdb.request("X80000000,4:ab"));
            assertEquals("E22", gdb.request("Z9,80000000,4"));
            assertEquals("E22", gdb.request("vCont;x"));
            assertEquals("E22", gdb.request("vCont;c:ff"));
            assertEquals("E00", gdb.request("qXfer:features:read:nothing.xml:0,100"));
            assertEquals("E22", gdb.request("qXfer:features:read:target.xml:zz"));
            Random random = new Random(1234);
            byte[] noise = new byte[50_000];
            random.nextBytes(noise);
            for (int i = 0; i < noise.length; i++) {
                if (noise[i] == 0x03 || noise[i] == '$') {
                    noise[i] = 'x';
                }
            }
            gdb.sendRaw(noise);
            // the noise's '-' bytes made the stub resend its last reply: read up to the answer of a fresh question
            gdb.sendRaw(RspClient.frame("qThreadExtraInfo,1"));
            String hart0 = "68617274203" + "0";
            while (!gdb.reply().equals(hart0)) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < 3000; i++) {
                StringBuilder packet = new StringBuilder().append(HARMLESS.charAt(random.nextInt(HARMLESS.length())));
                int length = random.nextInt(40);
                for (int j = 0; j < length; j++) {
                    packet.append(ARGUMENT_CHARS.charAt(random.nextInt(ARGUMENT_CHARS.length())));
                }
                String payload = packet.toString().replace("#", "").replace("$", "").replace("}", "");
                String reply = gdb.request(payload);
                assertFalse(reply.contains("Exception"), payload + " -> " + reply);
            }
            assertEquals("T05thread:01;", gdb.request("?"), "still stopped, still answering");
            assertEquals("OK", gdb.request("D"));
            assertEquals(0, pogo.waitFor(Duration.ofMinutes(1)), pogo.err());
            assertTrue(pogo.out().contains("gdb guest done"), pogo.out());
            assertEquals(1, pogo.err().lines().count(), "only the stub's own line on stderr: " + pogo.err());
        }
    }
}
