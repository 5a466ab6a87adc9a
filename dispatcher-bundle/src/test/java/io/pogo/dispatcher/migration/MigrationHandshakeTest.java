package io.pogo.dispatcher.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pogo.api.vm.VmConfig;
import io.pogo.dispatcher.vm.Vm;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The receiving side's first answers: a newer protocol version and a stranger are refused, nothing is built. */
class MigrationHandshakeTest {

    private static final MigrationTarget.Landing NOWHERE = new MigrationTarget.Landing() {
        @Override
        public Vm build(VmConfig config) {
            throw new AssertionError("nothing is built for a peer that failed the handshake");
        }

        @Override
        public void start(Vm vm) {
            throw new AssertionError();
        }

        @Override
        public void discard(Vm vm) {
            throw new AssertionError();
        }
    };

    @Test
    void aNewerProtocolVersionIsRefusedWithASentence() throws Exception {
        int port = freePort();
        CompletableFuture<RuntimeException> target = receiving(port);
        try (Socket socket = connect(port)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.write(MigrationWire.MAGIC);
            out.writeInt(MigrationWire.VERSION + 1);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertEquals(MigrationWire.REFUSE, in.readUnsignedByte());
            assertEquals("this Pogo speaks migration protocol version 2, not 3", in.readUTF());
        }
        assertEquals("receiving a VM failed: the source speaks migration protocol version 3, this Pogo 2",
                target.get(30, TimeUnit.SECONDS).getMessage());
    }

    @Test
    void aPeerThatDoesNotSpeakTheProtocolIsDropped() throws Exception {
        int port = freePort();
        CompletableFuture<RuntimeException> target = receiving(port);
        try (Socket socket = connect(port)) {
            // as long as the magic, so the target reads all of it before it hangs up
            socket.getOutputStream().write("GET / HT".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertEquals(-1, socket.getInputStream().read(), "no answer, the connection closes");
        }
        assertEquals("receiving a VM failed: the peer does not speak Pogo's migration protocol",
                target.get(30, TimeUnit.SECONDS).getMessage());
    }

    @Test
    void aPortInUseIsOneSentence() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                    () -> new MigrationTarget(NOWHERE, line -> { }).receive(null, taken.getLocalPort()));
            assertTrue(failure.getMessage().startsWith("cannot listen on localhost:" + taken.getLocalPort() + ": "),
                    failure.getMessage());
        }
    }

    private static CompletableFuture<RuntimeException> receiving(int port) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                new MigrationTarget(NOWHERE, line -> { }).receive(null, port);
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
    }

    /** Connects once the target listens. */
    private static Socket connect(int port) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return new Socket(InetAddress.getLoopbackAddress(), port);
            } catch (IOException notYet) {
                assertTrue(attempt < 400, "the target never listened on " + port);
                Thread.sleep(25);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
