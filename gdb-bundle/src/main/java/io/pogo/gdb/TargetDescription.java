package io.pogo.gdb;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The target description gdb reads with qXfer:features:read: the documents QEMU 7.2 serves for an RV64GC hart
 * (riscv-64bit-cpu.xml, riscv-64bit-fpu.xml, riscv-64bit-virtual.xml and the CSRs in riscv-csr.xml), with the
 * numbering of {@link RegisterFile}.
 */
final class TargetDescription {
    private static final String HEADER = "<?xml version=\"1.0\"?>\n<!DOCTYPE feature SYSTEM \"gdb-target.dtd\">\n";
    private static final List<String> CPU_NAMES = List.of("zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp",
            "s1", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",
            "s10", "s11", "t3", "t4", "t5", "t6");
    private static final List<String> FPU_NAMES = List.of("ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7",
            "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6",
            "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11");

    /** The documents by annex name. */
    static final Map<String, byte[]> DOCUMENTS = documents();

    private TargetDescription() {
    }

    private static Map<String, byte[]> documents() {
        Map<String, String> documents = new TreeMap<>();
        documents.put("target.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                + "<target><architecture>riscv:rv64</architecture>"
                + "<xi:include href=\"riscv-64bit-cpu.xml\"/><xi:include href=\"riscv-64bit-fpu.xml\"/>"
                + "<xi:include href=\"riscv-64bit-virtual.xml\"/><xi:include href=\"riscv-csr.xml\"/></target>\n");
        documents.put("riscv-64bit-cpu.xml", cpu());
        documents.put("riscv-64bit-fpu.xml", fpu());
        documents.put("riscv-64bit-virtual.xml", HEADER + "<feature name=\"org.gnu.gdb.riscv.virtual\">\n"
                + "  <reg name=\"priv\" bitsize=\"64\" regnum=\"" + RegisterFile.PRIVILEGE + "\"/>\n</feature>\n");
        documents.put("riscv-csr.xml", csr());
        Map<String, byte[]> bytes = new TreeMap<>();
        documents.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.US_ASCII)));
        return Map.copyOf(bytes);
    }

    private static String cpu() {
        StringBuilder xml = new StringBuilder(HEADER).append("<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
        for (int i = 0; i < CPU_NAMES.size(); i++) {
            String name = CPU_NAMES.get(i);
            String type = name.equals("ra") ? "code_ptr" : List.of("sp", "gp", "tp", "fp").contains(name)
                    ? "data_ptr" : "int";
            xml.append("  <reg name=\"").append(name).append("\" bitsize=\"64\" type=\"").append(type)
                    .append("\" regnum=\"").append(i).append("\"/>\n");
        }
        return xml.append("  <reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"").append(RegisterFile.PC)
                .append("\"/>\n</feature>\n").toString();
    }

    private static String fpu() {
        StringBuilder xml = new StringBuilder(HEADER).append("<feature name=\"org.gnu.gdb.riscv.fpu\">\n")
                .append("  <union id=\"riscv_double\">\n    <field name=\"float\" type=\"ieee_single\"/>\n")
                .append("    <field name=\"double\" type=\"ieee_double\"/>\n  </union>\n");
        for (int i = 0; i < FPU_NAMES.size(); i++) {
            xml.append("  <reg name=\"").append(FPU_NAMES.get(i)).append("\" bitsize=\"64\" type=\"riscv_double\"")
                    .append(" regnum=\"").append(RegisterFile.FIRST_FLOAT + i).append("\"/>\n");
        }
        return xml.append("</feature>\n").toString();
    }

    private static String csr() {
        StringBuilder xml = new StringBuilder(HEADER).append("<feature name=\"org.gnu.gdb.riscv.csr\">\n");
        new TreeMap<>(RegisterFile.CSRS).forEach((number, name) -> xml.append("  <reg name=\"").append(name)
                .append("\" bitsize=\"64\" regnum=\"").append(RegisterFile.FIRST_CSR + number).append("\"/>\n"));
        return xml.append("</feature>\n").toString();
    }
}
