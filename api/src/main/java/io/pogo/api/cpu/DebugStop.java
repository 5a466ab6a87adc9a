package io.pogo.api.cpu;

/**
 * Why a hart stopped for the debugger ({@link HartDebug#stopReason()}). A breakpoint or watchpoint stops the hart
 * before the instruction or access, which has not happened yet: the pc is the instruction's.
 *
 * @since 1.3
 */
public sealed interface DebugStop {

    /** Before the instruction at {@code address}: a software breakpoint, or an execute trigger of the debugger's. */
    record Breakpoint(long address) implements DebugStop {
    }

    /**
     * Before an access the debugger watches: trigger {@code trigger}, armed for the debugger, matched the
     * {@code access} at {@code address}.
     */
    record Watchpoint(int trigger, long address, MemoryAccess access) implements DebugStop {
    }

    /** After one instruction of a single step, or after the trap that instruction took. */
    record Stepped() implements DebugStop {
    }
}
