package io.pogo.dispatcher.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.vm.VmConsole;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConsoleBufferTest {

    @Test
    void readersFollowTheOutputFromTheirOwnPosition() throws InterruptedException {
        ConsoleBuffer console = new ConsoleBuffer();
        "before ".chars().forEach(console::write);
        long position = console.end();
        "during".chars().forEach(console::write);
        byte[] buffer = new byte[4];
        VmConsole.ConsoleRead first = console.read(position, buffer, Duration.ZERO);
        assertEquals(new VmConsole.ConsoleRead(4, 11), first);
        assertEquals("duri", new String(buffer, 0, first.length()));
        VmConsole.ConsoleRead second = console.read(first.next(), buffer, Duration.ZERO);
        assertEquals("ng", new String(buffer, 0, second.length()));
        assertEquals(new VmConsole.ConsoleRead(0, 13), console.read(second.next(), buffer, Duration.ofMillis(1)));
        assertEquals("before during", console.transcript());
    }

    @Test
    void aWaitingReaderWakesWhenOutputArrives() throws Exception {
        ConsoleBuffer console = new ConsoleBuffer();
        byte[] buffer = new byte[8];
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            console.write('!');
        });
        assertEquals(new VmConsole.ConsoleRead(1, 1), console.read(0, buffer, Duration.ofSeconds(30)));
        writer.join();
    }

    @Test
    void readersStopWaitingOnceTheVmIsOver() {
        ConsoleBuffer console = new ConsoleBuffer();
        "bye".chars().forEach(console::write);
        byte[] buffer = new byte[8];
        // the bound only ends the test should a reader wait out its day
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            Thread closer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                console.close();
            });
            assertEquals(new VmConsole.ConsoleRead(0, 3), console.read(3, buffer, Duration.ofDays(1)));
            closer.join();
            assertEquals(new VmConsole.ConsoleRead(3, 3), console.read(0, buffer, Duration.ofDays(1)));
            assertEquals("bye", new String(buffer, 0, 3));
            assertEquals(new VmConsole.ConsoleRead(0, 3), console.read(3, buffer, Duration.ofDays(1)));
        });
    }

    @Test
    void aReaderThatFellBehindSkipsToTheOldestKeptByte() throws InterruptedException {
        ConsoleBuffer console = new ConsoleBuffer();
        for (int i = 0; i < ConsoleBuffer.TRANSCRIPT_LIMIT + 5; i++) {
            console.write('a');
        }
        assertEquals(new VmConsole.ConsoleRead(3, 8), console.read(0, new byte[3], Duration.ZERO));
    }

    @Test
    void everyByteWrittenBelowTheLimitStaysInOrder() throws InterruptedException {
        ConsoleBuffer console = new ConsoleBuffer();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            char c = (char) ('a' + i % 26);
            console.write(c);
            expected.append(c);
        }
        assertEquals(expected.toString(), console.transcript());
        byte[] buffer = new byte[3];
        assertEquals(new VmConsole.ConsoleRead(3, 8195), console.read(8192, buffer, Duration.ZERO));
        assertEquals(expected.substring(8192, 8195), new String(buffer, StandardCharsets.US_ASCII));
    }

    @Test
    void transcriptKeepsTheMostRecentMebibyte() {
        ConsoleBuffer console = new ConsoleBuffer();
        for (int i = 0; i < ConsoleBuffer.TRANSCRIPT_LIMIT + 10; i++) {
            console.write(i < 10 ? '#' : 'a' + i % 3);
        }
        String transcript = console.transcript();
        assertEquals(ConsoleBuffer.TRANSCRIPT_LIMIT, transcript.length());
        assertTrue(transcript.indexOf('#') < 0, "the oldest bytes are gone");
        assertEquals((char) ('a' + (ConsoleBuffer.TRANSCRIPT_LIMIT + 9) % 3), transcript.charAt(transcript.length() - 1));
    }

    @Test
    void typedInputIsPolledInOrderAndAnnounced() {
        ConsoleBuffer console = new ConsoleBuffer();
        AtomicInteger announcements = new AtomicInteger();
        console.onInput(announcements::incrementAndGet);
        assertEquals(-1, console.poll());
        console.type(new byte[] {'h', 'i', (byte) 0xff});
        assertEquals(1, announcements.get());
        assertEquals('h', console.poll());
        assertEquals('i', console.poll());
        assertEquals(0xff, console.poll());
        assertEquals(-1, console.poll());
    }
}
