package io.pogo.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The target description numbers registers as QEMU 7.2's stub does (read from it with qXfer:features:read). */
class TargetDescriptionTest {

    private static String document(String name) {
        return new String(TargetDescription.DOCUMENTS.get(name), StandardCharsets.US_ASCII);
    }

    @Test
    void registersAreNumberedAsOnQemu() {
        assertTrue(document("target.xml").contains("<architecture>riscv:rv64</architecture>"));
        assertTrue(document("riscv-64bit-cpu.xml").contains("<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"32\"/>"));
        assertTrue(document("riscv-64bit-fpu.xml").contains("<reg name=\"ft0\" bitsize=\"64\" type=\"riscv_double\" regnum=\"33\"/>"));
        assertTrue(document("riscv-64bit-fpu.xml").contains("<reg name=\"ft11\" bitsize=\"64\" type=\"riscv_double\" regnum=\"64\"/>"));
        assertTrue(document("riscv-64bit-virtual.xml").contains("<reg name=\"priv\" bitsize=\"64\" regnum=\"65\"/>"));
        String csrs = document("riscv-csr.xml");
        assertTrue(csrs.contains("<reg name=\"sstatus\" bitsize=\"64\" regnum=\"322\"/>"));
        assertTrue(csrs.contains("<reg name=\"mstatus\" bitsize=\"64\" regnum=\"834\"/>"));
        assertTrue(csrs.contains("<reg name=\"tdata1\" bitsize=\"64\" regnum=\"2019\"/>"));
        assertTrue(csrs.contains("<reg name=\"mhartid\" bitsize=\"64\" regnum=\"3926\"/>"));
    }

    @Test
    void hexOfRegistersIsLittleEndianAndNumbersAreChecked() {
        assertEquals("efcdab8967452301", Hex.littleEndian(0x0123456789abcdefL, 8));
        assertEquals(0x0123456789abcdefL, Hex.fromLittleEndian("efcdab8967452301"));
        assertEquals(0xffffffffffffffffL, Hex.number("ffffffffffffffff"));
        for (String bad : List.of("", "g", "1ffffffffffffffff", "-1")) {
            assertThrows(MalformedPacket.class, () -> Hex.number(bad), bad);
        }
    }
}
