package io.pogo.dispatcher.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConsoleBufferTest {

    @Test
    void outputGoesToTheTranscriptAndTheAttachedStreamInOrder() {
        ConsoleBuffer console = new ConsoleBuffer();
        "before ".chars().forEach(console::write);
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        console.attach(terminal);
        "during".chars().forEach(console::write);
        console.detach();
        " after".chars().forEach(console::write);
        assertEquals("before during after", console.transcript());
        assertEquals("during", terminal.toString());
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
