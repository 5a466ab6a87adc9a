package io.pogo.api.device;

import org.osgi.annotation.versioning.ProviderType;

/** The VM's device tree while it is assembled: devices add their nodes and learn the phandles they refer to. */
@ProviderType
public interface DeviceTree {

    /** The phandle of hart {@code hartId}'s local interrupt controller ({@code riscv,cpu-intc}). */
    int hartInterruptController(int hartId);

    /** The phandle of the board's external interrupt controller; the controller itself declares it. */
    int interruptParent();

    /** A phandle no other node uses. */
    int newPhandle();

    /** Adds a node under {@code /soc}. */
    void addDevice(DtNode node);

    /** Adds a node directly under {@code /} (syscon-poweroff and the like). */
    void addRootNode(DtNode node);

    /** Adds a property to {@code /chosen}, for example {@code stdout-path}. */
    void choose(DtProperty property);
}
