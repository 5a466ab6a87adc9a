package io.pogo.gdb;

import io.pogo.api.vm.DebugEvent;
import io.pogo.api.vm.VmDebug;
import io.pogo.api.vm.VmManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The GDB stub of one VM: a listening socket and one gdb at a time (another is turned away while one is connected,
 * as QEMU does). The VM stops when gdb connects, or at once when held first (QEMU's {@code -S}); when gdb goes, the
 * VM runs on. The endpoint closes itself when the VM ends.
 */
final class GdbEndpoint implements Consumer<DebugEvent> {
    private final VmManager vms;
    private final String vmName;
    private final ServerSocket server;
    private final Runnable closed;
    /** The debugger's hold on the VM, while gdb is connected or the VM is held for it; guarded by this. */
    private VmDebug debug;
    private GdbSession session;
    private boolean open = true;
    private final CountDownLatch closing = new CountDownLatch(1);

    /** @param closed tells the server this endpoint is gone */
    GdbEndpoint(VmManager vms, String vmName, ServerSocket server, Runnable closed) {
        this.vms = vms;
        this.vmName = vmName;
        this.server = server;
        this.closed = closed;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Starts accepting gdb; with {@code holdFirst} the VM stops for the debugger before that. */
    void start(boolean holdFirst) {
        if (holdFirst) {
            synchronized (this) {
                debug = vms.debug(vmName, this);
            }
            debug.stop();
        }
        Thread.ofVirtual().name("pogo-gdb-" + vmName + "-accept").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException serverClosed) {
                return;
            }
            connect(client);
        }
    }

    private void connect(Socket client) {
        VmDebug held;
        synchronized (this) {
            if (session != null || !open) {
                closeQuietly(client);
                return;
            }
            try {
                if (debug == null) {
                    debug = vms.debug(vmName, this);
                }
            } catch (IllegalStateException over) {
                closeQuietly(client);
                return;
            }
            held = debug;
        }
        try {
            held.stop();
            client.setTcpNoDelay(true);
        } catch (IllegalStateException | IOException gone) {
            closeQuietly(client);
            return;
        }
        GdbSession started = new GdbSession(client, held, () -> vms.stop(vmName), this::sessionEnded);
        synchronized (this) {
            session = started;
        }
        started.start();
    }

    /** From the VM's threads: to the connected gdb, if any. When the VM is over, so is the endpoint. */
    @Override
    public void accept(DebugEvent event) {
        GdbSession current;
        synchronized (this) {
            current = session;
            if (event instanceof DebugEvent.Ended) {
                debug = null;
            }
        }
        if (current != null) {
            current.deliver(event);
        }
        if (event instanceof DebugEvent.Ended) {
            Thread.ofVirtual().name("pogo-gdb-" + vmName + "-end").start(this::close);
        }
    }

    private void sessionEnded() {
        VmDebug released;
        synchronized (this) {
            session = null;
            released = debug;
            debug = null;
        }
        if (released != null) {
            released.close();
        }
    }

    /**
     * Stops serving: gdb, if connected, is detached after what is queued for it; the VM runs on. Returns once done,
     * also when another thread is closing it.
     */
    void close() {
        boolean first;
        GdbSession current = null;
        VmDebug released = null;
        synchronized (this) {
            first = open;
            if (first) {
                open = false;
                current = session;
                if (current == null) {
                    released = debug;
                    debug = null;
                }
            }
        }
        if (!first) {
            awaitClosed();
            return;
        }
        closeQuietly(server);
        if (current != null) {
            try {
                current.shutdown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (released != null) {
            released.close();
        }
        closed.run();
        closing.countDown();
    }

    private void awaitClosed() {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception alreadyGone) {
            // nothing left to release
        }
    }
}
