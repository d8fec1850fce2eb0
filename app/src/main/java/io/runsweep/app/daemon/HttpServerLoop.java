package io.runsweep.app.daemon;

import io.runsweep.config.DaemonSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server that slow or stalled clients cannot hold. One thread reads every request without
 * blocking, so a client that trickles its headers, or sends half a request and stops, costs a buffer, never
 * a thread; it is disconnected at {@code read-timeout}. Answers that take work (a scrape) are made on two
 * worker threads with a bounded queue; answers from memory that probes need ({@link HttpRoutes#inline}) are
 * made on the reading thread itself, so they never wait behind the workers. Each connection carries one
 * request and is closed after its answer. At {@code max-connections}, a new connection closes the oldest one
 * still sending its request.
 */
final class HttpServerLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServerLoop.class);
    private static final int WORKERS = 2;
    private static final int QUEUED_ANSWERS = 64;
    private static final long TICK_MILLIS = 100;

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final HttpRoutes routes;
    private final DaemonSettings.Http settings;
    private final ThreadPoolExecutor workers;
    private final Set<HttpConnection> open = new LinkedHashSet<>();
    private final Queue<HttpConnection> answered = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    private HttpServerLoop(
            ServerSocketChannel listener, Selector selector, HttpRoutes routes, DaemonSettings.Http settings) {
        this.listener = listener;
        this.selector = selector;
        this.routes = routes;
        this.settings = settings;
        this.workers = new ThreadPoolExecutor(
                WORKERS,
                WORKERS,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUED_ANSWERS),
                r -> daemonThread(r, "runsweep-http-worker"));
        this.thread = daemonThread(this::loop, "runsweep-http");
    }

    /** Listens on the configured host and port and starts serving. */
    static HttpServerLoop start(DaemonSettings.Http settings, HttpRoutes routes) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.bind(new InetSocketAddress(settings.host(), settings.port()), 128);
            listener.configureBlocking(false);
            Selector selector = Selector.open();
            listener.register(selector, SelectionKey.OP_ACCEPT);
            HttpServerLoop server = new HttpServerLoop(listener, selector, routes, settings);
            server.thread.start();
            return server;
        } catch (IOException e) {
            listener.close();
            throw e;
        }
    }

    int port() {
        return ((InetSocketAddress) listener.socket().getLocalSocketAddress()).getPort();
    }

    private void loop() {
        try {
            while (running) {
                selector.select(TICK_MILLIS);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    handle(key);
                }
                sendAnswered();
                expire(System.nanoTime());
            }
        } catch (ClosedSelectorException | IOException e) {
            if (running) {
                LOG.error("HTTP server stopped: {}", e.getMessage());
            }
        } finally {
            new ArrayList<>(open).forEach(this::close);
        }
    }

    private void handle(SelectionKey key) throws IOException {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            accept();
            return;
        }
        HttpConnection connection = (HttpConnection) key.attachment();
        try {
            if (key.isReadable()) {
                read(connection);
            } else if (key.isWritable() && connection.write()) {
                close(connection);
            }
        } catch (IOException e) {
            close(connection);
        }
    }

    /** A failure to accept (out of file descriptors) costs that connection, never the server. */
    private void accept() {
        try {
            for (SocketChannel channel = listener.accept(); channel != null; channel = listener.accept()) {
                if (open.size() >= settings.maxConnections()) {
                    closeOldestStillReading(channel);
                }
                if (channel.isOpen()) {
                    register(channel);
                }
            }
        } catch (IOException e) {
            LOG.warn("HTTP: could not accept a connection: {}", e.getMessage());
        }
    }

    private void register(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        long deadline = System.nanoTime() + settings.readTimeout().toNanos();
        HttpConnection connection = new HttpConnection(channel, deadline);
        connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
        open.add(connection);
    }

    /** Makes room for a new connection; when every open one is being answered, the new one goes instead. */
    private void closeOldestStillReading(SocketChannel incoming) throws IOException {
        for (HttpConnection connection : open) {
            if (connection.reading()) {
                close(connection);
                return;
            }
        }
        incoming.close();
    }

    private void read(HttpConnection connection) throws IOException {
        HttpConnection.Read read = connection.read();
        switch (read) {
            case MORE -> {}
            case CLOSED -> close(connection);
            case TOO_LARGE -> answer(connection, HttpAnswer.text(431, "request header fields too large\n"));
            case MALFORMED -> answer(connection, HttpAnswer.text(400, "bad request\n"));
            case COMPLETE -> dispatch(connection);
        }
    }

    private void dispatch(HttpConnection connection) {
        HttpRequest request = connection.request();
        if (routes.inline(request)) {
            answer(connection, routes.answer(request));
            return;
        }
        connection.key.interestOps(0);
        try {
            workers.execute(() -> {
                connection.answer = routes.answer(request);
                answered.add(connection);
                selector.wakeup();
            });
        } catch (RejectedExecutionException busy) {
            answer(connection, HttpAnswer.text(503, "busy: too many requests under way\n"));
        }
    }

    private void sendAnswered() {
        for (HttpConnection connection = answered.poll(); connection != null; connection = answered.poll()) {
            if (connection.key.isValid()) {
                answer(connection, connection.answer);
            }
        }
    }

    private void answer(HttpConnection connection, HttpAnswer answer) {
        connection.respond(answer, System.nanoTime() + settings.writeTimeout().toNanos());
        connection.key.interestOps(SelectionKey.OP_WRITE);
    }

    private void expire(long now) {
        List<HttpConnection> late = new ArrayList<>();
        for (HttpConnection connection : open) {
            if (connection.expired(now)) {
                late.add(connection);
            }
        }
        late.forEach(this::close);
    }

    private void close(HttpConnection connection) {
        open.remove(connection);
        connection.close();
    }

    /** Stops listening, closes every connection and lets answers under way end; safe to call twice. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        try {
            selector.close();
            listener.close();
        } catch (IOException e) {
            LOG.debug("closing the HTTP listener: {}", e.getMessage());
        }
    }

    private static Thread daemonThread(Runnable work, String name) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        return t;
    }
}
