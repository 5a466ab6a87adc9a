package io.pogo.dispatcher.migration;

import io.pogo.api.cpu.Hart;
import io.pogo.api.memory.DirtyPages;
import io.pogo.api.vm.MigrationSummary;
import io.pogo.api.vm.VmState;
import io.pogo.dispatcher.snapshot.VmSnapshots;
import io.pogo.dispatcher.vm.Vm;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Sends a running VM to a receiving Pogo process (pre-copy): every touched page while the guest runs, then in
 * rounds the pages it dirtied meanwhile, until what is left is small or stops shrinking; then, with the guest
 * paused, the rest and the VM's state, and then its host resources (its disks' locks) for the target to take. The
 * VM is released here only once the target says it runs there; any failure before the target is told to go, or the
 * target's refusal to start it, leaves it running here with its resources taken back.
 */
public final class MigrationSource {

    /** What is left for the pause: at most this many pages (1 MiB) ends the pre-copy. */
    static final int SMALL_REMAINDER = 256;
    static final int MAX_ROUNDS = 30;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long the target may take to build the VM, or to restore and start it. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final Vm vm;
    private final InetSocketAddress target;
    private final Consumer<String> progress;
    private long sentBytes;
    private int rounds;
    /** From here on the target may run the VM: this side resumes it only when the target refuses. */
    private boolean goSent;

    public MigrationSource(Vm vm, InetSocketAddress target, Consumer<String> progress) {
        this.vm = vm;
        this.target = target;
        this.progress = progress;
    }

    /**
     * Moves the VM; on success it is stopped here (the caller forgets it) and runs at the target.
     *
     * @throws IllegalStateException with one sentence when the migration failed; the VM runs on here, unless the
     *                               sentence says its fate is unknown (the connection broke after GO)
     */
    public MigrationSummary migrate() {
        String name = vm.name();
        if (vm.state() != VmState.RUNNING) {
            throw new IllegalStateException("cannot migrate VM " + name + ": it is " + vm.state().name().toLowerCase()
                    + "; only a running VM migrates");
        }
        VmSnapshots.requireStateful(vm);
        DirtyPages dirty = vm.memory().dirtyPages();
        boolean committed = false;
        try (Socket socket = new Socket()) {
            socket.connect(target, (int) CONNECT_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 20));
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out.write(MigrationWire.MAGIC);
            out.writeInt(MigrationWire.VERSION);
            out.flush();
            MigrationWire.expect(in, MigrationWire.ACCEPT, "the greeting");
            VmSnapshots.writeConfig(out, vm.config());
            out.flush();
            MigrationWire.expect(in, MigrationWire.ACCEPT, "the VM's construction");

            // the capture's code loads now rather than in the downtime
            VmSnapshots.rehearseCapture(vm);
            long[] remainder = preCopy(out, dirty);
            long pausedAt = System.nanoTime();
            vm.pause();
            try {
                vm.frozen("migrate", () -> stopAndCopy(out, in, dirty, remainder));
                MigrationWire.expect(in, MigrationWire.STARTED, "the started VM");
            } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
                // after GO only the target's refusal leaves the VM here: it could not take the resources, and
                // nothing runs there
                committed = goSent && !(cause(e) instanceof MigrationWire.RefusedException);
                if (!committed) {
                    runOnHere(e);
                }
                throw e;
            }
            Duration downtime = Duration.ofNanos(System.nanoTime() - pausedAt);
            dirty.stop();
            vm.stop();
            return new MigrationSummary(name, vm.config().memoryBytes(), sentBytes, rounds, downtime);
        } catch (IOException | UncheckedIOException e) {
            dirty.stop();
            IOException cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
            if (committed) {
                throw new IllegalStateException("migration of " + name + " to " + describe(target)
                        + " broke off after the target was told to start it (" + describe(cause) + "); the VM stays"
                        + " paused here: resume it only if it does not run there");
            }
            throw new IllegalStateException("migration of " + name + " to " + describe(target) + " failed: "
                    + describe(cause) + "; it runs on here");
        } catch (RuntimeException e) {
            dirty.stop();
            throw e;
        }
    }

    /**
     * With the guest paused: the pages dirtied since the pre-copy, the VM's state; once the target has them in
     * place, the VM's host resources are given up (its disks flushed and unlocked) and GO goes out at once, so the
     * target takes them and starts while the devices here are let go of their quiesce.
     */
    private Void stopAndCopy(DataOutputStream out, DataInputStream in, DirtyPages dirty, long[] remainder) {
        try {
            rounds++;
            long[] rest = dirty.take();
            for (int i = 0; i < rest.length; i++) {
                rest[i] |= remainder[i];
            }
            sentBytes += PageStream.sendPages(out, ram(), rest);
            out.writeByte(MigrationWire.STATE);
            VmSnapshots.writeImage(out, VmSnapshots.capture(vm));
            out.flush();
            MigrationWire.expect(in, MigrationWire.READY, "the restored VM");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        vm.releaseHostResources();
        try {
            out.writeByte(MigrationWire.GO);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        goSent = true;
        return null;
    }

    /**
     * The migration failed and the VM does not run at the target: it resumes here, taking back its host resources
     * if it gave them up. When another process took them meanwhile, it stays paused, and the sentence says why.
     */
    private void runOnHere(Exception failure) {
        try {
            vm.resume();
        } catch (IllegalArgumentException | IllegalStateException e) {
            Throwable cause = cause(failure);
            String why = cause instanceof IOException io ? describe(io) : cause.getMessage();
            throw new IllegalStateException("migration of " + vm.name() + " to " + describe(target) + " failed: "
                    + why + "; the VM stays paused here, as it cannot have its resources back: " + e.getMessage());
        }
    }

    private static Throwable cause(Exception e) {
        return e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
    }

    /**
     * Sends every touched page, then the pages dirtied meanwhile, round after round, while the guest runs; returns
     * the dirty pages left for the pause.
     */
    private long[] preCopy(DataOutputStream out, DirtyPages dirty) throws IOException {
        withGuestStill(dirty::start);
        rounds = 1;
        sentBytes += PageStream.sendTouched(out, ram());
        out.flush();
        report(sentBytes);
        int previous = Integer.MAX_VALUE;
        while (true) {
            long[] dirtied = takeDirty(dirty);
            int pages = PageStream.count(dirtied);
            if (pages <= SMALL_REMAINDER || pages >= previous || rounds == MAX_ROUNDS) {
                return dirtied;
            }
            previous = pages;
            rounds++;
            long sent = PageStream.sendPages(out, ram(), dirtied);
            out.flush();
            sentBytes += sent;
            report(sent);
        }
    }

    private void report(long bytes) {
        progress.accept("migrating " + vm.name() + ": round " + rounds + ", " + (bytes >> 10) + " KiB sent");
    }

    /** The pages dirtied since the last take; the harts write-protect their pages again before they run on. */
    private long[] takeDirty(DirtyPages dirty) {
        long[][] taken = new long[1][];
        withGuestStill(() -> taken[0] = dirty.take());
        return taken[0];
    }

    /**
     * Runs {@code change} to the dirty-page log with every vCPU parked, and makes every hart drop its cached
     * translations before it runs again, so no store reaches a page the log counts as clean unrecorded.
     */
    private void withGuestStill(Runnable change) {
        vm.pause();
        try {
            change.run();
            vm.harts().forEach(MigrationSource::dropTranslations);
        } finally {
            vm.resume();
        }
    }

    private static void dropTranslations(Hart hart) {
        hart.flushTranslations(-1, -1);
    }

    private MemorySegment ram() {
        return vm.memory().segment();
    }

    static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    static String describe(IOException e) {
        if (e instanceof MigrationWire.RefusedException) {
            return "the target refused: " + e.getMessage();
        }
        if (e instanceof ConnectException) {
            return "nothing listens there";
        }
        if (e instanceof EOFException) {
            return "the target closed the connection";
        }
        if (e instanceof SocketTimeoutException) {
            return "the target did not answer in time";
        }
        return e.getMessage() == null ? "the connection failed" : e.getMessage();
    }
}
