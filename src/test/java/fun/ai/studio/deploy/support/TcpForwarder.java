package fun.ai.studio.deploy.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of a local server, to simulate that server going away and coming back:
 * {@link #cut()} drops every relayed connection and hangs up on new ones, as a stopped database would;
 * {@link #blackhole()} keeps every connection open and takes new ones, but swallows every byte both ways, as a
 * network partition does; both last until {@link #restore()}.
 */
public final class TcpForwarder implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean swallowing;

    private TcpForwarder(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Starts relaying connections from a free loopback port to {@code targetHost:targetPort}. */
    public static TcpForwarder start(String targetHost, int targetPort) throws IOException {
        TcpForwarder forwarder = new TcpForwarder(targetHost, targetPort);
        Thread acceptor = new Thread(forwarder::acceptLoop, "tcp-forwarder-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return forwarder;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Drops every open connection and hangs up on new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        closeAll();
    }

    /** Swallows every byte relayed from now on, both ways, and answers nothing on new connections, until {@link #restore()}. */
    public void blackhole() {
        swallowing = true;
    }

    /**
     * Relays again. Connections that lost bytes to a blackhole are closed: what they carried is gone, as after a
     * partition, when the client has long given up on them.
     */
    public void restore() {
        if (swallowing) {
            swallowing = false;
            closeAll();
        }
        cut = false;
    }

    @Override
    public void close() {
        closeQuietly(listener);
        closeAll();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            if (swallowing) {
                sockets.add(client);
                pump(client, null);
                continue;
            }
            try {
                Socket server = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    /** Copies {@code from} to {@code to} (nowhere when null) until one side closes; drops what comes in a blackhole. */
    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to == null ? null : to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (!swallowing && out != null) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // One side went away; closing both ends below tells the other side.
            } finally {
                closeQuietly(from);
                sockets.remove(from);
                if (to != null) {
                    closeQuietly(to);
                    sockets.remove(to);
                }
            }
        }, "tcp-forwarder-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void closeAll() {
        sockets.forEach(TcpForwarder::closeQuietly);
        sockets.clear();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Already closed: nothing left to release.
        }
    }
}
