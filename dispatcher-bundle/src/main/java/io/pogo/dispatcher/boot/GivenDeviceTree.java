package io.pogo.dispatcher.boot;

import io.pogo.api.device.DtNode;
import io.pogo.api.device.DtProperty;
import io.pogo.api.device.DtValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A device tree the user hands the guest ({@code --dtb}, as QEMU's {@code -dtb}): checked, and passed on as it is
 * unless a kernel command line or an initrd has to be written into its {@code /chosen} node, as QEMU writes them
 * into a given tree. Such an edited tree is re-encoded without the source's memory reservation entries.
 */
final class GivenDeviceTree {

    private GivenDeviceTree() {
    }

    /**
     * @param bootargs the kernel command line, none when empty
     * @param initrd   {start, end} of the initrd in guest RAM, or null
     */
    static byte[] load(Path file, String bootargs, long[] initrd) {
        byte[] blob = ElfImage.readAll(file);
        try {
            int size = FdtReader.checkHeader(blob);
            if (bootargs.isEmpty() && initrd == null) {
                return Arrays.copyOf(blob, size);
            }
            return FdtWriter.encode(withChosen(FdtReader.decode(blob), bootargs, initrd));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    private static DtNode withChosen(DtNode root, String bootargs, long[] initrd) {
        List<DtProperty> added = new ArrayList<>();
        if (!bootargs.isEmpty()) {
            byte[] text = (bootargs + "\0").getBytes(StandardCharsets.US_ASCII);
            added.add(new DtProperty("bootargs", new DtValue.Bytes(text)));
        }
        if (initrd != null) {
            added.add(new DtProperty("linux,initrd-start", cells(initrd[0])));
            added.add(new DtProperty("linux,initrd-end", cells(initrd[1])));
        }
        Set<String> replaced = Set.copyOf(added.stream().map(DtProperty::name).toList());
        List<DtNode> children = new ArrayList<>(root.children());
        int index = indexOfChosen(children);
        DtNode chosen = index < 0 ? new DtNode("chosen", List.of(), List.of()) : children.get(index);
        List<DtProperty> properties = new ArrayList<>(chosen.properties().stream()
                .filter(property -> !replaced.contains(property.name())).toList());
        properties.addAll(added);
        DtNode updated = new DtNode("chosen", properties, chosen.children());
        if (index < 0) {
            children.add(updated);
        } else {
            children.set(index, updated);
        }
        return new DtNode(root.name(), root.properties(), children);
    }

    private static int indexOfChosen(List<DtNode> children) {
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i).name().equals("chosen")) {
                return i;
            }
        }
        return -1;
    }

    private static DtValue cells(long address) {
        return new DtValue.Bytes(ByteBuffer.allocate(8).putLong(address).array());
    }
}
