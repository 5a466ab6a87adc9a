package io.pogo.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hart saved part-way through a guest and restored into a fresh machine with a copy of its RAM: every register,
 * CSR and the pc are equal, and the guest runs on to its own verdict there, the guest's triggers included
 * (isa-debug arms them through tdata1/tdata2).
 */
class HartSnapshotTest {

    private static final long LIMIT = 500_000_000L;

    @ParameterizedTest
    @ValueSource(strings = {"isa-int", "isa-fp", "isa-priv", "isa-debug"})
    void aHartRestoredIntoAFreshMachineHasTheSameStateAndRunsItsGuestToAPass(String guest) {
        TestMachine whole = TestMachine.boot(guest);
        assertEquals(0, whole.runToFinisher(LIMIT), whole.console.toString());
        long halfway = whole.hart().instructionsRetired() / 2;
        TestMachine source = TestMachine.boot(guest);
        while (source.hart().instructionsRetired() < halfway) {
            source.vcpu.run(Math.min(1000, halfway - source.hart().instructionsRetired()));
        }
        String printedBefore = source.console.toString();
        Records record = new Records();
        source.vcpu.state().save(record);

        TestMachine copy = new TestMachine(32 << 20, 0, PrivilegeMode.MACHINE, false);
        MemorySegment.copy(source.memory.segment(), 0, copy.memory.segment(), 0, source.memory.size());
        copy.vcpu.state().restore(record.reader(), copy.vcpu.state().stateVersion());

        assertSameState(source.hart(), copy.hart());
        assertEquals(0, copy.runToFinisher(LIMIT), guest + " on the restored hart: " + copy.console);
        assertEquals(0, source.runToFinisher(LIMIT), guest + " on the original: " + source.console);
        assertEquals(source.console.toString(), printedBefore + copy.console, "what each printed after the snapshot");
        assertEquals(source.hart().instructionsRetired(), copy.hart().instructionsRetired());
    }

    private static void assertSameState(Hart expected, Hart actual) {
        assertEquals(expected.pc(), actual.pc(), "pc");
        assertEquals(expected.privilege(), actual.privilege());
        for (int i = 0; i < 32; i++) {
            assertEquals(expected.register(i), actual.register(i), "x" + i);
            assertEquals(expected.floatRegister(i), actual.floatRegister(i), "f" + i);
        }
        for (int address = 0; address < 4096; address++) {
            assertEquals(expected.readCsr(address), actual.readCsr(address), "CSR 0x" + Integer.toHexString(address));
        }
        long selected = expected.readCsr(CsrAddress.TSELECT);
        for (int trigger = 0; trigger < expected.triggerCount(); trigger++) {
            expected.writeCsr(CsrAddress.TSELECT, trigger);
            actual.writeCsr(CsrAddress.TSELECT, trigger);
            assertEquals(expected.readCsr(CsrAddress.TDATA1), actual.readCsr(CsrAddress.TDATA1), "tdata1");
            assertEquals(expected.readCsr(CsrAddress.TDATA2), actual.readCsr(CsrAddress.TDATA2), "tdata2");
        }
        expected.writeCsr(CsrAddress.TSELECT, selected);
        actual.writeCsr(CsrAddress.TSELECT, selected);
    }

    /** The monitor's record streams in their simplest form: values one after another in a buffer. */
    private static final class Records implements StateOutput {
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);

        @Override
        public void writeBoolean(boolean value) {
            buffer.put((byte) (value ? 1 : 0));
        }

        @Override
        public void writeInt(int value) {
            buffer.putInt(value);
        }

        @Override
        public void writeLong(long value) {
            buffer.putLong(value);
        }

        @Override
        public void writeLongs(long[] values) {
            buffer.putInt(values.length);
            for (long value : values) {
                buffer.putLong(value);
            }
        }

        @Override
        public void writeBytes(byte[] bytes) {
            buffer.putInt(bytes.length).put(bytes);
        }

        @Override
        public void writeString(String value) {
            writeBytes(value.getBytes(StandardCharsets.UTF_8));
        }

        StateInput reader() {
            ByteBuffer in = buffer.duplicate().flip();
            return new StateInput() {
                @Override
                public boolean readBoolean() {
                    return in.get() != 0;
                }

                @Override
                public int readInt() {
                    return in.getInt();
                }

                @Override
                public long readLong() {
                    return in.getLong();
                }

                @Override
                public long[] readLongs() {
                    long[] values = new long[in.getInt()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = in.getLong();
                    }
                    return values;
                }

                @Override
                public byte[] readBytes() {
                    byte[] bytes = new byte[in.getInt()];
                    in.get(bytes);
                    return bytes;
                }

                @Override
                public String readString() {
                    return new String(readBytes(), StandardCharsets.UTF_8);
                }

                @Override
                public boolean atEnd() {
                    return !in.hasRemaining();
                }
            };
        }
    }
}
