package io.pogo.dispatcher.boot;

import io.pogo.api.device.DtNode;
import io.pogo.api.device.DtProperty;
import io.pogo.api.device.DtValue;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks and decodes a flattened device tree blob (devicetree specification v0.4): the header as libfdt's
 * fdt_check_header checks it, and on request the structure block into nodes whose property values are raw bytes.
 * Anything malformed is an {@link IllegalArgumentException} with a one-line reason.
 */
final class FdtReader {

    static final int MAGIC = 0xd00dfeed;
    static final int HEADER_SIZE = 40;
    private static final int LAST_VERSION = 17;
    private static final int BEGIN_NODE = 1;
    private static final int END_NODE = 2;
    private static final int PROP = 3;
    private static final int NOP = 4;
    private static final int END = 9;

    private final ByteBuffer structure;
    private final ByteBuffer strings;

    private FdtReader(ByteBuffer structure, ByteBuffer strings) {
        this.structure = structure;
        this.strings = strings;
    }

    /** Validates the header against the blob's length; returns the size the header declares. */
    static int checkHeader(byte[] blob) {
        ByteBuffer header = ByteBuffer.wrap(blob);
        if (blob.length < HEADER_SIZE || header.getInt(0) != MAGIC) {
            throw new IllegalArgumentException("not a flattened device tree (no FDT magic number)");
        }
        long total = Integer.toUnsignedLong(header.getInt(4));
        if (total > blob.length || total < HEADER_SIZE) {
            throw new IllegalArgumentException("truncated device tree: its header says %d bytes, the file has %d"
                    .formatted(total, blob.length));
        }
        if (header.getInt(24) > LAST_VERSION) {
            throw new IllegalArgumentException("a device tree readable only from version %d on (Pogo reads %d)"
                    .formatted(header.getInt(24), LAST_VERSION));
        }
        if (!inside(header.getInt(8), header.getInt(36), total) || !inside(header.getInt(12), header.getInt(32), total)
                || !inside(header.getInt(16), 16, total)) {
            throw new IllegalArgumentException("corrupt device tree header: a block lies outside the tree");
        }
        return (int) total;
    }

    private static boolean inside(int offset, int size, long total) {
        long start = Integer.toUnsignedLong(offset);
        return start >= HEADER_SIZE && start + Integer.toUnsignedLong(size) <= total;
    }

    /** The root node of a blob whose header {@link #checkHeader} accepted. */
    static DtNode decode(byte[] blob) {
        ByteBuffer header = ByteBuffer.wrap(blob);
        ByteBuffer structure = ByteBuffer.wrap(blob, header.getInt(8), header.getInt(36)).slice();
        ByteBuffer strings = ByteBuffer.wrap(blob, header.getInt(12), header.getInt(32)).slice();
        try {
            FdtReader reader = new FdtReader(structure, strings);
            if (reader.token() != BEGIN_NODE) {
                throw corrupt();
            }
            DtNode root = reader.node();
            if (reader.token() != END) {
                throw corrupt();
            }
            return root;
        } catch (IndexOutOfBoundsException | BufferUnderflowException | IllegalArgumentException e) {
            throw corrupt();
        }
    }

    private static IllegalArgumentException corrupt() {
        return new IllegalArgumentException("corrupt device tree structure block");
    }

    /** The node whose BEGIN_NODE token was just read. */
    private DtNode node() {
        String name = cString(structure, structure.position());
        align(structure.position() + name.length() + 1);
        List<DtProperty> properties = new ArrayList<>();
        List<DtNode> children = new ArrayList<>();
        while (true) {
            switch (token()) {
                case PROP -> {
                    int length = structure.getInt();
                    int nameOffset = structure.getInt();
                    byte[] value = new byte[length];
                    structure.get(value);
                    align(structure.position());
                    properties.add(new DtProperty(cString(strings, nameOffset), new DtValue.Bytes(value)));
                }
                case BEGIN_NODE -> children.add(node());
                case END_NODE -> {
                    return new DtNode(name, properties, children);
                }
                default -> throw corrupt();
            }
        }
    }

    private int token() {
        int token;
        do {
            token = structure.getInt();
        } while (token == NOP);
        return token;
    }

    private void align(int position) {
        structure.position((position + 3) & ~3);
    }

    private static String cString(ByteBuffer buffer, int offset) {
        int end = offset;
        while (buffer.get(end) != 0) {
            end++;
        }
        byte[] text = new byte[end - offset];
        buffer.get(offset, text);
        return new String(text, StandardCharsets.US_ASCII);
    }
}
