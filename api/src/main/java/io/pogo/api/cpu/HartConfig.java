package io.pogo.api.cpu;

import io.pogo.api.device.MmioWindow;
import java.util.List;

/**
 * How a hart comes out of reset.
 *
 * @param hartId          mhartid
 * @param resetPc         first instruction fetched
 * @param resetPrivilege  MACHINE for firmware and bare-metal guests, SUPERVISOR when the hypervisor provides SBI
 * @param hypercalls      whether ECALL from supervisor mode exits to the hypervisor (there is no guest machine mode)
 * @param ramOverlays     windows inside guest RAM that a device owns (HTIF's tohost and fromhost): every load and
 *                        store there leaves as an MMIO exit instead of touching RAM
 */
public record HartConfig(int hartId, long resetPc, PrivilegeMode resetPrivilege, boolean hypercalls,
                         List<MmioWindow> ramOverlays) {

    public HartConfig {
        ramOverlays = List.copyOf(ramOverlays);
    }

    /** A hart whose RAM no device overlays. */
    public HartConfig(int hartId, long resetPc, PrivilegeMode resetPrivilege, boolean hypercalls) {
        this(hartId, resetPc, resetPrivilege, hypercalls, List.of());
    }
}
