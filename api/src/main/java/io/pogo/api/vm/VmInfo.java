package io.pogo.api.vm;

import java.util.List;

/**
 * A snapshot of one VM.
 *
 * @param failure       why the VM failed; empty unless the state is FAILED
 * @param exitStatus    the guest's exit status once STOPPED by the guest, otherwise -1
 */
public record VmInfo(String name, VmState state, int harts, long memoryBytes, long residentBytes,
                     long instructionsRetired, String failure, int exitStatus, List<AttachedDevice> devices) {
}
