package io.pogo.itest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A bare GDB remote protocol client, to say to the stub what gdb never would. */
final class RspClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RspClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static byte[] frame(String payload) {
        int sum = 0;
        for (byte b : payload.getBytes(StandardCharsets.ISO_8859_1)) {
            sum += b & 0xFF;
        }
        return ("$" + payload + "#" + String.format("%02x", sum & 0xFF)).getBytes(StandardCharsets.ISO_8859_1);
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a packet and returns the stub's reply, acknowledging it. */
    String request(String payload) throws IOException {
        sendRaw(frame(payload));
        return reply();
    }

    /** The next packet from the stub, acknowledged; acknowledgements before it are skipped. */
    String reply() throws IOException {
        int c;
        while ((c = in.read()) != '$') {
            if (c < 0) {
                throw new IOException("the stub closed the connection");
            }
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        while ((c = in.read()) != '#') {
            if (c < 0) {
                throw new IOException("the stub closed the connection in a packet");
            }
            payload.write(c);
        }
        in.read();
        in.read();
        out.write('+');
        return payload.toString(StandardCharsets.ISO_8859_1);
    }

    /** The next byte that is an acknowledgement, '+' or '-'. */
    int acknowledgement() throws IOException {
        int c;
        while ((c = in.read()) != '+' && c != '-') {
            if (c < 0) {
                throw new IOException("the stub closed the connection");
            }
        }
        return c;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
