package io.pogo.dispatcher.boot;

import io.pogo.api.device.DtNode;
import io.pogo.api.device.DtProperty;
import io.pogo.api.device.DtValue;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Encodes a device tree as a flattened device tree blob (devicetree specification v0.4, FDT version 17). */
public final class FdtWriter {

    private static final int MAGIC = 0xd00dfeed;
    private static final int HEADER_SIZE = 40;
    private static final int RESERVE_MAP_SIZE = 16;
    private static final int BEGIN_NODE = 1;
    private static final int END_NODE = 2;
    private static final int PROP = 3;
    private static final int END = 9;

    private final ByteArrayOutputStream structure = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new LinkedHashMap<>();

    private FdtWriter() {
    }

    /** The blob for a tree whose root node is {@code root} (its name is ignored: the root is unnamed). */
    public static byte[] encode(DtNode root) {
        FdtWriter writer = new FdtWriter();
        writer.node(new DtNode("", root.properties(), root.children()));
        writer.word(END);
        return writer.blob();
    }

    private void node(DtNode node) {
        word(BEGIN_NODE);
        padded(nulTerminated(node.name()));
        for (DtProperty property : node.properties()) {
            byte[] value = encode(property.value());
            word(PROP);
            word(value.length);
            word(stringOffset(property.name()));
            padded(value);
        }
        node.children().forEach(this::node);
        word(END_NODE);
    }

    private static byte[] encode(DtValue value) {
        return switch (value) {
            case DtValue.Empty() -> new byte[0];
            case DtValue.Cells(int[] cells) -> {
                ByteBuffer buffer = ByteBuffer.allocate(cells.length * 4);
                for (int cell : cells) {
                    buffer.putInt(cell);
                }
                yield buffer.array();
            }
            case DtValue.Strings(String[] values) -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                for (String string : values) {
                    bytes.writeBytes(nulTerminated(string));
                }
                yield bytes.toByteArray();
            }
            case DtValue.Bytes(byte[] bytes) -> bytes.clone();
        };
    }

    private int stringOffset(String name) {
        return stringOffsets.computeIfAbsent(name, key -> {
            int offset = strings.size();
            strings.writeBytes(nulTerminated(key));
            return offset;
        });
    }

    private byte[] blob() {
        int structureOffset = HEADER_SIZE + RESERVE_MAP_SIZE;
        int stringsOffset = structureOffset + structure.size();
        int total = stringsOffset + strings.size();
        ByteBuffer blob = ByteBuffer.allocate(total);
        blob.putInt(MAGIC).putInt(total).putInt(structureOffset).putInt(stringsOffset).putInt(HEADER_SIZE)
                .putInt(17).putInt(16).putInt(0).putInt(strings.size()).putInt(structure.size());
        blob.put(new byte[RESERVE_MAP_SIZE]);
        blob.put(structure.toByteArray());
        blob.put(strings.toByteArray());
        return blob.array();
    }

    private void word(int value) {
        structure.writeBytes(ByteBuffer.allocate(4).putInt(value).array());
    }

    private void padded(byte[] bytes) {
        structure.writeBytes(bytes);
        structure.writeBytes(new byte[-bytes.length & 3]);
    }

    private static byte[] nulTerminated(String text) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[ascii.length + 1];
        System.arraycopy(ascii, 0, bytes, 0, ascii.length);
        return bytes;
    }
}
