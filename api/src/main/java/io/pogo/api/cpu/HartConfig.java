package io.pogo.api.cpu;

/**
 * How a hart comes out of reset.
 *
 * @param hartId          mhartid
 * @param resetPc         first instruction fetched
 * @param resetPrivilege  MACHINE for firmware and bare-metal guests, SUPERVISOR when the hypervisor provides SBI
 * @param hypercalls      whether ECALL from supervisor mode exits to the hypervisor (there is no guest machine mode)
 */
public record HartConfig(int hartId, long resetPc, PrivilegeMode resetPrivilege, boolean hypercalls) {
}
