package io.pogo.dispatcher.migration;

import io.pogo.api.vm.MigrationSummary;
import io.pogo.api.vm.VmConfig;
import io.pogo.dispatcher.snapshot.VmImage;
import io.pogo.dispatcher.snapshot.VmSnapshots;
import io.pogo.dispatcher.vm.Vm;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Receives one VM from a migrating Pogo process ({@link MigrationWire}): builds it from the configuration sent,
 * its devices holding no host resources (the source still writes its disks), fills its RAM while the source still
 * runs it, restores its state, and when the source says go, takes the host resources the source gave up and starts
 * it. A VM that does not arrive whole, or cannot have its resources, is discarded; the source runs it on.
 */
public final class MigrationTarget {

    /** How the monitor builds, starts and forgets the arriving VM. */
    public interface Landing {
        /** Builds the VM, not started, under its name; throws with one sentence when it cannot be built here. */
        Vm build(VmConfig config);

        /**
         * Takes the VM's host resources, which the source gave up, and starts it; throws with one sentence when
         * it cannot have them, and nothing runs.
         */
        void start(Vm vm);

        /** Forgets a VM that did not arrive whole and releases what it held. */
        void discard(Vm vm);
    }

    /** How long the source may stay silent in the middle of a migration. */
    private static final Duration SILENCE = Duration.ofSeconds(60);

    private final Landing landing;
    private final Consumer<String> progress;

    public MigrationTarget(Landing landing, Consumer<String> progress) {
        this.landing = landing;
        this.progress = progress;
    }

    /**
     * Listens on {@code port} of {@code host} (the loopback address when null) for one migration, and returns once
     * the VM runs here.
     *
     * @throws IllegalArgumentException when the port cannot be listened on
     * @throws IllegalStateException    with one sentence when the migration failed; nothing is left here
     */
    public MigrationSummary receive(String host, int port) {
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " is out of range (1-65535)");
        }
        InetSocketAddress address = host == null ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port)
                : new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot listen on " + host + ": no such host");
        }
        Socket socket;
        try (ServerSocket server = new ServerSocket()) {
            server.bind(address);
            progress.accept("waiting for a VM on " + MigrationSource.describe(address));
            socket = server.accept();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot listen on " + MigrationSource.describe(address) + ": "
                    + e.getMessage());
        }
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) SILENCE.toMillis());
            return receive(new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 20)),
                    new DataOutputStream(new BufferedOutputStream(socket.getOutputStream())));
        } catch (IOException e) {
            throw new IllegalStateException("receiving a VM failed: " + MigrationSource.describe(e));
        }
    }

    /** Runs a step of the restore; one that fails is refused with its sentence. */
    private static void restoring(DataOutputStream out, String name, Runnable step) throws IOException {
        try {
            step.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            MigrationWire.refuse(out, "VM " + name + " cannot be restored here: " + e.getMessage());
            throw new IOException("its state cannot be restored here: " + e.getMessage());
        }
    }

    private MigrationSummary receive(DataInputStream in, DataOutputStream out) throws IOException {
        long begin = System.nanoTime();
        byte[] magic = new byte[MigrationWire.MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MigrationWire.MAGIC)) {
            throw new IOException("the peer does not speak Pogo's migration protocol");
        }
        int version = in.readInt();
        if (version != MigrationWire.VERSION) {
            MigrationWire.refuse(out, "this Pogo speaks migration protocol version " + MigrationWire.VERSION
                    + ", not " + Integer.toUnsignedString(version));
            throw new IOException("the source speaks migration protocol version " + Integer.toUnsignedString(version)
                    + ", this Pogo " + MigrationWire.VERSION);
        }
        out.writeByte(MigrationWire.ACCEPT);
        out.flush();
        VmConfig config = VmSnapshots.readConfig(in);
        Vm vm;
        try {
            vm = landing.build(config);
        } catch (IllegalArgumentException | IllegalStateException e) {
            MigrationWire.refuse(out, e.getMessage());
            throw new IllegalStateException("VM " + config.name() + " cannot come here: " + e.getMessage());
        }
        boolean started = false;
        try {
            // the restore's code loads now rather than in the downtime
            restoring(out, config.name(), () -> VmSnapshots.rehearseRestore(vm));
            out.writeByte(MigrationWire.ACCEPT);
            out.flush();
            int rounds = 0;
            long pages = 0;
            int message = in.readUnsignedByte();
            for (; message == MigrationWire.PAGES; message = in.readUnsignedByte()) {
                pages += PageStream.receive(in, vm.memory().segment());
                rounds++;
            }
            if (message != MigrationWire.STATE) {
                throw new IOException("message " + message + " arrived where the VM's state was due");
            }
            VmImage image = VmSnapshots.readImage(in);
            restoring(out, config.name(), () -> VmSnapshots.restoreState(vm, image));
            out.writeByte(MigrationWire.READY);
            out.flush();
            MigrationWire.expect(in, MigrationWire.GO, "the go-ahead");
            try {
                landing.start(vm);
            } catch (IllegalArgumentException | IllegalStateException e) {
                MigrationWire.refuse(out, "VM " + config.name() + " cannot start here: " + e.getMessage());
                throw new IOException("it cannot start here: " + e.getMessage());
            }
            started = true;
            out.writeByte(MigrationWire.STARTED);
            out.flush();
            progress.accept("received " + config.name() + ": " + pages + " pages in " + rounds + " rounds");
            return new MigrationSummary(config.name(), config.memoryBytes(), pages * PageStream.PAGE, rounds,
                    Duration.ofNanos(System.nanoTime() - begin));
        } finally {
            if (!started) {
                landing.discard(vm);
            }
        }
    }
}
