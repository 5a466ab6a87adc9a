package io.pogo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InterruptedIOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class KeyboardInputTest {

    @Test
    void linesEndWithoutTheirTerminatorAndInputEndsInNull() {
        KeyboardInput input = KeyboardInput.of(new ByteArrayInputStream("one\r\ntwo\nlast".getBytes(StandardCharsets.UTF_8)));
        assertEquals("one", input.readLine());
        assertEquals("two", input.readLine());
        assertEquals("last", input.readLine());
        assertNull(input.readLine());
        assertNull(input.readLine());
    }

    @Test
    void anInterruptedReadLosesNoByte() throws Exception {
        PipedOutputStream typing = new PipedOutputStream();
        KeyboardInput input = KeyboardInput.of(new PipedInputStream(typing));
        Thread reader = Thread.currentThread();
        CompletableFuture<Void> interrupt = CompletableFuture.runAsync(() -> {
            while (reader.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            reader.interrupt();
        });
        assertThrows(InterruptedIOException.class, input::read);
        interrupt.join();
        Thread.interrupted();
        typing.write("ab\n".getBytes(StandardCharsets.US_ASCII));
        typing.close();
        assertEquals("ab", input.readLine());
        assertNull(input.readLine());
    }

    @Test
    void availableCountsWhatCanBeReadWithoutWaiting() throws Exception {
        PipedOutputStream typing = new PipedOutputStream();
        KeyboardInput input = KeyboardInput.of(new PipedInputStream(typing));
        typing.write("xyz".getBytes(StandardCharsets.US_ASCII));
        typing.flush();
        while (input.available() < 3) {
            Thread.onSpinWait();
        }
        byte[] read = input.readNBytes(3);
        assertEquals("xyz", new String(read, StandardCharsets.US_ASCII));
        assertEquals(0, input.available());
    }
}
