package io.shadowmq.store.redis;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisConnectionException;
import org.redisson.config.Config;
import org.redisson.misc.CompletableFutureWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A Redisson client made on a daemon thread of its own, retrying with backoff until Redis answers or it is closed,
 * so that a store can be made while Redis is down and works once Redis is up - without Redisson's lazy
 * initialization, whose first command joins the connect on the caller's thread (and on a Redis Cluster can
 * deadlock with a Netty thread handling a disconnect that joins the same connect).
 *
 * <p>{@link #client()} is usable at once. Until the client exists:
 *
 * <ul>
 *   <li>an asynchronous call ({@code ...Async}, answering an {@link RFuture}) waits, without blocking anyone, for
 *       the connect attempt under way and then runs, or fails with a {@link RedisConnectionException} naming the
 *       address ({@link StoreCall} answers 503) if that attempt fails or none is under way (between attempts);
 *   <li>an object it hands out ({@code getBucket}, {@code getScript}, ...) is a stand-in that becomes the real one
 *       once the client exists, so components may keep it;
 *   <li>a batch or transaction made then ({@code create...}) stays failing: its commands would otherwise run apart;
 *   <li>a synchronous call throws a {@link RedisConnectionException}, as one does while Redis is down;
 *   <li>{@code getConfig()} answers the configuration, {@code shutdown(...)} closes this.
 * </ul>
 *
 * Once the client exists, calls go straight to it; Redisson itself reconnects after Redis restarts.
 */
public final class ConnectingClient {

    private static final Logger log = LoggerFactory.getLogger(ConnectingClient.class);

    /** The pause after the first failed connect attempt; it doubles after each further one, up to the maximum. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    /** The connecting thread's name, followed by the address. */
    static final String THREAD_NAME = "shadowmq-redis-connect";

    private final Config config;
    private final String address;
    private final Function<Config, RedissonClient> create;
    private final RedissonClient proxy;
    private final Object lock = new Object();
    /** The connect attempt under way, or the last one if it failed and the next has not begun. */
    private volatile CompletableFuture<RedissonClient> attempt = new CompletableFuture<>();

    private volatile @Nullable RedissonClient client;
    private volatile boolean closed;

    private ConnectingClient(Config config, String address, Function<Config, RedissonClient> create) {
        this.config = config;
        this.address = address;
        this.create = create;
        this.proxy = (RedissonClient) Proxy.newProxyInstance(
                RedissonClient.class.getClassLoader(),
                new Class<?>[] {RedissonClient.class},
                new Stand(null, null, null, false));
    }

    /**
     * Starts connecting to {@code address} with {@code config} (lazy initialization off) on a thread of its own and
     * answers at once.
     */
    public static @NotNull ConnectingClient start(@NotNull Config config, @NotNull String address) {
        return start(config, address, Redisson::create);
    }

    static @NotNull ConnectingClient start(
            @NotNull Config config, @NotNull String address, @NotNull Function<Config, RedissonClient> create) {
        if (config.isLazyInitialization()) {
            throw new IllegalArgumentException("a client connected in the background needs lazy initialization off");
        }
        ConnectingClient connecting = new ConnectingClient(config, address, create);
        Thread connector = new Thread(connecting::connect, THREAD_NAME + " " + address);
        connector.setDaemon(true);
        connector.start();
        return connecting;
    }

    /** The client: the real one once connected, a stand-in until then (see the class comment). */
    public @NotNull RedissonClient client() {
        return proxy;
    }

    /** Whether the client exists (Redis answered once). */
    public boolean isConnected() {
        return client != null;
    }

    /** Stops connecting, or shuts the client down if it exists; calls waiting for a connect attempt fail. */
    public void close() {
        close(real -> real.shutdown(0, 2, TimeUnit.SECONDS));
    }

    private void close(Consumer<RedissonClient> shutdown) {
        RedissonClient real;
        synchronized (lock) {
            closed = true;
            real = client;
            lock.notifyAll();
        }
        attempt.completeExceptionally(
                new RedisConnectionException("store closed before Redis at " + address + " was reached"));
        if (real != null) {
            shutdown.accept(real);
        }
    }

    private void connect() {
        long backoffMillis = FIRST_BACKOFF.toMillis();
        int failures = 0;
        while (true) {
            CompletableFuture<RedissonClient> current = attempt;
            if (closed) { // closed while this attempt was being set up: nothing may wait for it
                current.completeExceptionally(new RedisConnectionException("store closed"));
                return;
            }
            RedissonClient made;
            try {
                made = create.apply(config);
            } catch (Error e) {
                current.completeExceptionally(notReachable(e)); // what waits for it fails, then the thread ends
                throw e;
            } catch (RuntimeException e) {
                failures++;
                if (failures == 1) {
                    log.warn("Redis at {} not reachable yet, connecting in the background: {}", address, e.toString());
                } else {
                    log.debug("Redis at {} not reachable yet (attempt {}): {}", address, failures, e.toString());
                }
                current.completeExceptionally(notReachable(e));
                if (!pause(backoffMillis)) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
                attempt = new CompletableFuture<>();
                continue;
            }
            boolean kept;
            synchronized (lock) {
                kept = !closed;
                if (kept) {
                    client = made;
                }
            }
            if (!kept) {
                made.shutdown(0, 2, TimeUnit.SECONDS);
                current.completeExceptionally(new RedisConnectionException("store closed"));
                return;
            }
            if (failures > 0) {
                log.info("Redis at {} reached after {} failed connect attempts", address, failures);
            }
            current.complete(made);
            return;
        }
    }

    /** Waits {@code millis} unless closed meanwhile; answers whether to go on. */
    private boolean pause(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            while (!closed) {
                long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
                if (left <= 0) {
                    return true;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }

    private RedisConnectionException notReachable(@Nullable Throwable cause) {
        String message = "Redis not reachable yet at " + address;
        return cause == null ? new RedisConnectionException(message) : new RedisConnectionException(message, cause);
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * Stands in for the client ({@code parent == null}) or for an object obtained from a stand-in with
     * {@code made(args)}: it becomes that object once the client exists, unless it is {@code failing}.
     */
    private final class Stand implements InvocationHandler {
        private final @Nullable Stand parent;
        private final @Nullable Method made;
        private final Object @Nullable [] args;
        private final boolean failing;
        private volatile @Nullable Object target;

        Stand(@Nullable Stand parent, @Nullable Method made, Object @Nullable [] args, boolean failing) {
            this.parent = parent;
            this.made = made;
            this.args = args;
            this.failing = failing;
        }

        /** The real object, or null while there is no client. */
        private @Nullable Object target() throws Throwable {
            Object known = target;
            if (known != null || failing) {
                return known;
            }
            RedissonClient real = client;
            if (real == null) {
                return null;
            }
            Object resolved = parent == null ? real : call(parent.target(), made, args);
            target = resolved;
            return resolved;
        }

        @Override
        public Object invoke(Object self, Method method, Object[] arguments) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> self == arguments[0];
                    case "hashCode" -> System.identityHashCode(self);
                    default -> "ConnectingClient[" + address + (isConnected() ? "" : ", not connected yet") + "]";
                };
            }
            if (parent == null) {
                switch (method.getName()) {
                    case "getConfig":
                        return config;
                    case "shutdown":
                        close(real -> {
                            try {
                                call(real, method, arguments);
                            } catch (RuntimeException | Error e) {
                                throw e;
                            } catch (Throwable e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        return null;
                    case "isShutdown":
                    case "isShuttingDown":
                        if (client == null) {
                            return closed;
                        }
                        break;
                    default:
                        break;
                }
            }
            boolean answersLater = RFuture.class.isAssignableFrom(method.getReturnType());
            Object real;
            try {
                real = target();
            } catch (RuntimeException e) {
                if (answersLater) {
                    return new CompletableFutureWrapper<>(e);
                }
                throw e;
            }
            if (real != null) {
                if (!answersLater) {
                    return call(real, method, arguments);
                }
                try {
                    return call(real, method, arguments);
                } catch (RuntimeException e) {
                    return new CompletableFutureWrapper<>(e); // never thrown at the caller of an async call
                }
            }
            if (answersLater) {
                return failing ? new CompletableFutureWrapper<>(notReachable(null)) : later(method, arguments);
            }
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getName().startsWith("org.redisson.api.")) {
                boolean failingStand = failing || method.getName().startsWith("create");
                return Proxy.newProxyInstance(
                        type.getClassLoader(), new Class<?>[] {type}, new Stand(this, method, arguments, failingStand));
            }
            throw notReachable(null);
        }

        /** The call, made once the connect attempt under way succeeds; failed if it fails. */
        private RFuture<Object> later(Method method, Object[] arguments) {
            CompletableFuture<Object> answer = attempt.thenCompose(connected -> {
                try {
                    @SuppressWarnings("unchecked")
                    CompletionStage<Object> stage = (CompletionStage<Object>) call(target(), method, arguments);
                    return stage.toCompletableFuture();
                } catch (Throwable e) {
                    return CompletableFuture.failedFuture(e);
                }
            });
            return new CompletableFutureWrapper<>(answer);
        }
    }
}
