package io.pogo.api.vm;

import java.util.List;

/**
 * A snapshot of one VM.
 *
 * @param failure       why the VM failed; empty unless the state is FAILED
 * @param exitStatus    the guest's exit status once STOPPED by the guest, otherwise -1
 * @param waitingFor    why the monitor paused the VM for resources (a memory cap, the host's budget); empty unless
 *                      the VM is PAUSED waiting for them
 */
public record VmInfo(String name, VmState state, int harts, long memoryBytes, long residentBytes,
                     long instructionsRetired, String failure, int exitStatus, List<AttachedDevice> devices,
                     String waitingFor) {

    /** A VM that waits for nothing. */
    public VmInfo(String name, VmState state, int harts, long memoryBytes, long residentBytes,
                  long instructionsRetired, String failure, int exitStatus, List<AttachedDevice> devices) {
        this(name, state, harts, memoryBytes, residentBytes, instructionsRetired, failure, exitStatus, devices, "");
    }
}
