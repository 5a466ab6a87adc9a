package io.pogo.cpu;

import io.pogo.api.cpu.AddressTrigger;
import io.pogo.api.cpu.CsrAddress;
import io.pogo.api.cpu.MemoryAccess;
import io.pogo.api.cpu.PrivilegeMode;
import io.pogo.api.state.StateInput;
import io.pogo.api.state.StateOutput;
import io.pogo.api.state.Stateful;
import io.pogo.cpu.debug.Triggers;
import io.pogo.cpu.jit.CodeCache;
import io.pogo.cpu.mmu.Mmu;
import io.pogo.cpu.trap.Csr;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * One hart's state in a snapshot: x and f registers, pc, privilege, every CSR that is not zero (mip among them, so
 * pending interrupts too), the retired count the counters derive from, and the guest's triggers. What the hart
 * keeps only to run fast (translations, decoded and compiled code) is rebuilt; the LR reservation is cleared, as
 * any trap would clear it, so an SC after the restore fails and the guest's LR/SC loop retries. Triggers a debugger
 * armed belong to the debugger and are not saved.
 */
final class HartSnapshot implements Stateful {
    private static final int VERSION = 1;

    private final HartState hart;
    private final Mmu mmu;
    private final CodeCache codeCache;

    HartSnapshot(HartState hart, Mmu mmu, CodeCache codeCache) {
        this.hart = hart;
        this.mmu = mmu;
        this.codeCache = codeCache;
    }

    @Override
    public String stateType() {
        return "rv64gc-hart";
    }

    @Override
    public int stateVersion() {
        return VERSION;
    }

    @Override
    public void save(StateOutput out) {
        out.writeLong(hart.pc);
        out.writeInt(hart.privilege);
        out.writeLong(hart.retired);
        for (int i = 0; i < 32; i++) {
            out.writeLong(hart.register(i));
        }
        out.writeLongs(hart.f);
        int set = 0;
        for (int address = 0; address < Csr.COUNT; address++) {
            set += hart.csr[address] != 0 || address == CsrAddress.MIP ? 1 : 0;
        }
        out.writeInt(set);
        for (int address = 0; address < Csr.COUNT; address++) {
            long value = address == CsrAddress.MIP ? hart.mip() : hart.csr[address];
            if (value != 0 || address == CsrAddress.MIP) {
                out.writeInt(address);
                out.writeLong(value);
            }
        }
        Triggers triggers = hart.triggers;
        for (int i = 0; i < Triggers.COUNT; i++) {
            AddressTrigger guest = triggers.guestTrigger(i);
            boolean debuggers = triggers.heldByDebugger(i);
            out.writeLong(debuggers ? Triggers.MCONTROL_AT_RESET : triggers.control[i]);
            out.writeLong(debuggers ? 0 : triggers.data[i]);
            out.writeBoolean(guest != null);
            if (guest != null) {
                out.writeLong(guest.address());
                out.writeInt(guest.length());
                out.writeInt(bits(guest.accesses()));
                out.writeInt(bits(guest.modes()));
            }
        }
    }

    @Override
    public void restore(StateInput in, int version) {
        hart.pc = in.readLong();
        int privilege = in.readInt();
        hart.retired = in.readLong();
        for (int i = 0; i < 32; i++) {
            hart.setRegister(i, in.readLong());
        }
        long[] f = in.readLongs();
        System.arraycopy(f, 0, hart.f, 0, Math.min(f.length, hart.f.length));
        Arrays.fill(hart.csr, 0);
        for (int set = in.readInt(); set > 0; set--) {
            int address = in.readInt();
            long value = in.readLong();
            if (address < 0 || address >= Csr.COUNT) {
                throw new IllegalArgumentException("the snapshot's hart state names CSR " + address
                        + ", which does not exist");
            }
            hart.csr[address] = value;
        }
        Triggers triggers = hart.triggers;
        for (int i = 0; i < Triggers.COUNT; i++) {
            triggers.control[i] = in.readLong();
            triggers.data[i] = in.readLong();
            AddressTrigger guest = in.readBoolean() ? new AddressTrigger(in.readLong(), in.readInt(),
                    accesses(in.readInt()), modes(in.readInt())) : null;
            triggers.request(i, guest);
        }
        mmu.clearReservation();
        mmu.flushAll();
        codeCache.flush();
        hart.setPrivilegeLevel(privilege);
        hart.writeCsr(CsrAddress.MSTATUS, hart.csr[CsrAddress.MSTATUS]);
        hart.attention = true;
    }

    private static int bits(Set<? extends Enum<?>> values) {
        int bits = 0;
        for (Enum<?> value : values) {
            bits |= 1 << value.ordinal();
        }
        return bits;
    }

    private static Set<MemoryAccess> accesses(int bits) {
        Set<MemoryAccess> accesses = EnumSet.noneOf(MemoryAccess.class);
        for (MemoryAccess access : MemoryAccess.values()) {
            if ((bits >>> access.ordinal() & 1) != 0) {
                accesses.add(access);
            }
        }
        return accesses;
    }

    private static Set<PrivilegeMode> modes(int bits) {
        Set<PrivilegeMode> modes = EnumSet.noneOf(PrivilegeMode.class);
        for (PrivilegeMode mode : PrivilegeMode.values()) {
            if ((bits >>> mode.ordinal() & 1) != 0) {
                modes.add(mode);
            }
        }
        return modes;
    }
}
