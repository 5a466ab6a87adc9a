package io.pogo.uart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.device.InterruptLine;
import io.pogo.api.device.MmioWindow;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/** Drives the UART through its registers as a guest driver does. */
class Ns16550aTest {

    private static final int THR = 0;
    private static final int IER = 1;
    private static final int IIR = 2;
    private static final int FCR = 2;
    private static final int LCR = 3;
    private static final int MCR = 4;
    private static final int LSR = 5;
    private static final int MSR = 6;

    /** A console that records what the guest sends and holds keystrokes for it. */
    static final class Terminal implements ConsoleChannel {
        final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        final ArrayDeque<Integer> keys = new ArrayDeque<>();
        Runnable listener = () -> { };

        @Override
        public void write(int b) {
            screen.write(b);
        }

        @Override
        public int poll() {
            Integer key = keys.poll();
            return key == null ? -1 : key;
        }

        @Override
        public void onInput(Runnable listener) {
            this.listener = listener;
        }

        void type(String text) {
            text.chars().forEach(keys::add);
            listener.run();
        }
    }

    static final class Line implements InterruptLine {
        boolean asserted;

        @Override
        public int number() {
            return 10;
        }

        @Override
        public void setLevel(boolean level) {
            asserted = level;
        }
    }

    private final Terminal terminal = new Terminal();
    private final Line irq = new Line();
    private final Ns16550a uart = new Ns16550a(terminal, irq, new MmioWindow(0x1000_0000L, 0x100));

    @Test
    void transmittedBytesReachTheConsoleInOrder() {
        assertEquals(0x60, uart.read(LSR, 1) & 0x60, "transmitter empty");
        "hello\r\n".chars().forEach(c -> uart.write(THR, 1, c));
        assertEquals("hello\r\n", terminal.screen.toString());
    }

    @Test
    void receivedDataRaisesAndClearsTheInterrupt() {
        uart.write(IER, 1, 0x01);
        assertFalse(irq.asserted);
        assertEquals(0, uart.read(LSR, 1) & 0x01);
        terminal.type("ok");
        assertTrue(irq.asserted, "RDA asserts the line");
        assertEquals(0x04, uart.read(IIR, 1) & 0x0f);
        assertEquals(0x01, uart.read(LSR, 1) & 0x01);
        assertEquals('o', uart.read(THR, 1));
        assertTrue(irq.asserted, "one byte left");
        assertEquals('k', uart.read(THR, 1));
        assertFalse(irq.asserted, "FIFO drained");
        assertEquals(0x01, uart.read(IIR, 1) & 0x0f, "no interrupt pending");
    }

    @Test
    void transmitterEmptyInterruptClearsWhenIdentified() {
        uart.write(FCR, 1, 0x01);
        uart.write(IER, 1, 0x02);
        assertTrue(irq.asserted);
        assertEquals(0xc2, uart.read(IIR, 1), "THRE, FIFOs enabled");
        assertFalse(irq.asserted, "reading IIR clears THRE");
        uart.write(THR, 1, 'x');
        assertTrue(irq.asserted, "the next byte went out at once");
    }

    @Test
    void loopbackReturnsWhatIsSentAndMirrorsModemLines() {
        uart.write(MCR, 1, 0x10 | 0x0f);
        uart.write(THR, 1, 'z');
        assertEquals("", terminal.screen.toString(), "loopback does not reach the line");
        assertEquals('z', uart.read(THR, 1));
        assertEquals(0xf0, uart.read(MSR, 1));
    }

    @Test
    void divisorLatchShadowsDataAndInterruptEnable() {
        uart.write(LCR, 1, 0x80);
        uart.write(THR, 1, 0x03);
        uart.write(IER, 1, 0x00);
        assertEquals(0x03, uart.read(THR, 1));
        uart.write(LCR, 1, 0x03);
        assertEquals("", terminal.screen.toString(), "divisor writes are not data");
        assertEquals(0x03, uart.read(LCR, 1));
    }

    @Test
    void linuxStartupSeesTheTransmitterInterruptEachTimeItIsEnabled() {
        uart.write(IER, 1, 0x02);
        assertEquals(0x02, uart.read(IIR, 1) & 0x0f, "no UART_BUG_THRE");
        uart.write(IER, 1, 0x00);
        uart.write(IER, 1, 0x02);
        assertEquals(0x60, uart.read(LSR, 1) & 0x60);
        assertEquals(0x02, uart.read(IIR, 1) & 0x0f, "no UART_BUG_TXEN");
        uart.write(IER, 1, 0x00);
        assertFalse(irq.asserted);
    }

    @Test
    void switchingTheFifosOnOrOffEmptiesThem() {
        uart.write(FCR, 1, 0x01);
        terminal.type("abc");
        assertEquals('a', uart.read(THR, 1));
        uart.write(FCR, 1, 0x00);
        assertEquals(0, uart.read(LSR, 1) & 0x01, "what the FIFO held is gone");
        terminal.type("d");
        assertEquals('d', uart.read(THR, 1));
    }
}
