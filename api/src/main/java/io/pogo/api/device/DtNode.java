package io.pogo.api.device;

import java.util.List;

/** A device tree node, for example {@code serial@10000000} with its properties and subnodes. */
public record DtNode(String name, List<DtProperty> properties, List<DtNode> children) {
}
