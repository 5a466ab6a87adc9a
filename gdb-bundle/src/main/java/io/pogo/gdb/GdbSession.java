package io.pogo.gdb;

import io.pogo.api.vm.DebugEvent;
import io.pogo.api.vm.VmDebug;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One gdb connection: a reader thread frames what gdb sends, and the session thread handles it in order together
 * with the VM's debug events, so replies never interleave and no VM thread ever waits on the network. It ends when
 * gdb detaches, kills, disconnects or sends what is not a byte stream at all, and always leaves the VM with none of
 * its breakpoints: detached, running (or ended, after a kill).
 */
final class GdbSession {
    /** The largest packet gdb may send, as qSupported tells it (QEMU offers 4 KiB; this is four times that). */
    static final int PACKET_SIZE = 0x4000;
    private static final String BUSY = "E16";
    private static final Duration FINISH_WAIT = Duration.ofSeconds(5);

    /** What the session thread takes in turn: framed input, a debug event, or the end of input. */
    private record Disconnected() {
    }

    private record Shutdown() {
    }

    private final Socket socket;
    private final VmDebug vm;
    private final GdbTarget target;
    private final Runnable kill;
    private final Runnable ended;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private byte[] lastReply;
    private boolean running;
    private Thread sessionThread;

    /**
     * @param kill  stops the VM (gdb's kill)
     * @param ended lets the endpoint know this session is over and the VM let go of
     */
    GdbSession(Socket socket, VmDebug vm, Runnable kill, Runnable ended) {
        this.socket = socket;
        this.vm = vm;
        this.target = new GdbTarget(vm);
        this.kill = kill;
        this.ended = ended;
    }

    void start() {
        String name = "pogo-gdb-" + socket.getRemoteSocketAddress();
        Thread.ofVirtual().name(name + "-reader").start(this::read);
        sessionThread = Thread.ofVirtual().name(name).start(this::serve);
    }

    /** From the VM's threads: queued, never waits. */
    void deliver(DebugEvent event) {
        inbox.add(event);
    }

    /** Detaches gdb (after what is queued, such as the VM's end, has been sent) and waits for the session to end. */
    void shutdown() throws InterruptedException {
        inbox.add(new Shutdown());
        sessionThread.join(FINISH_WAIT);
    }

    private void read() {
        PacketFramer framer = new PacketFramer(inbox::add);
        byte[] buffer = new byte[4096];
        try (InputStream in = socket.getInputStream()) {
            for (int count; (count = in.read(buffer)) > 0; ) {
                framer.accept(buffer, count);
            }
        } catch (IOException closed) {
            // the connection is gone: same as its end
        }
        inbox.add(new Disconnected());
    }

    private void serve() {
        try (socket; OutputStream out = socket.getOutputStream()) {
            boolean connected = true;
            while (connected) {
                connected = handle(inbox.take(), out);
            }
        } catch (IOException | InterruptedException gone) {
            // the connection broke, or the server closes: let go of the VM all the same
        } finally {
            target.removeAll();
            ended.run();
        }
    }

    /** Handles one thing from the inbox; false when the session is over. */
    private boolean handle(Object next, OutputStream out) throws IOException {
        switch (next) {
            case Inbound.Packet(byte[] payload) -> {
                out.write('+');
                return running ? send(out, PacketWriter.frame(BUSY)) : reply(target.handle(payload), out);
            }
            case Inbound.Damaged damaged -> out.write('-');
            case Inbound.Nak nak -> {
                if (lastReply != null) {
                    out.write(lastReply);
                }
            }
            case Inbound.Ack ack -> {
            }
            case Inbound.Interrupt interrupt -> {
                if (running) {
                    vm.stop();
                }
            }
            case DebugEvent.Ended end -> {
                send(out, PacketWriter.frame(target.stopReply(end)));
                return false;
            }
            case DebugEvent event -> {
                if (running) {
                    running = false;
                    return send(out, PacketWriter.frame(target.stopReply(event)));
                }
            }
            case Disconnected gone -> {
                return false;
            }
            case Shutdown shutdown -> {
                return false;
            }
            default -> throw new IllegalStateException("unexpected " + next);
        }
        out.flush();
        return true;
    }

    private boolean reply(Reply reply, OutputStream out) throws IOException {
        return switch (reply) {
            case Reply.Text(String payload) -> send(out, PacketWriter.frame(payload));
            case Reply.Binary(byte[] payload) -> send(out, PacketWriter.frameBinary(payload));
            case Reply.Resumed resumed -> {
                running = true;
                out.flush();
                yield true;
            }
            case Reply.Detach detach -> {
                send(out, PacketWriter.frame("OK"));
                yield false;
            }
            case Reply.Kill(String payload) -> {
                if (payload != null) {
                    send(out, PacketWriter.frame(payload));
                }
                kill.run();
                yield false;
            }
        };
    }

    private boolean send(OutputStream out, byte[] frame) throws IOException {
        lastReply = frame;
        out.write(frame);
        out.flush();
        return true;
    }
}
