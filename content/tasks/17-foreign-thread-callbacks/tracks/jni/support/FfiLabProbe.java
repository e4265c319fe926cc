import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hidden checker for task 17 (JNI track): drives Events.start / Events.stop with listeners of its
 * own and reports what they saw. It judges nothing; check.py does.
 *
 * Usage: java ... FfiLabProbe wait|exit   (exit: System.exit after the last report, so a JVM
 * that would hang at its end does not hang this run). The cases arrive on stdin, one per line:
 *   plain ID THREADS COUNT       a listener that accepts every event
 *   throwing ID THREADS COUNT    a listener that throws for every event whose seq % 10 == 3
 *                                (the run should end at the first of them)
 * After the cases the probe checks that no listener is still strongly held (a weak reference
 * per case, then a few System.gc()), and asks the library how often it was re-entered.
 * One JSON object per line goes to the descriptor named by $FFILAB_CHANNEL_FD; a "calling" line
 * before each case pins a crash or a hang on it.
 */
public final class FfiLabProbe {

    private static OutputStream channel;
    private static MethodHandle inCallback;
    private static MethodHandle delivered;
    private static MethodHandle reentered;
    /** Exceptions that reached a thread's uncaught-exception handler (left pending at detach). */
    private static final AtomicInteger uncaught = new AtomicInteger();

    /** What the checker's listener throws. */
    static final class RejectedByChecker extends RuntimeException {
        RejectedByChecker(int source, int seq) {
            super("the checker's listener rejects event " + seq + " of source " + source);
        }
    }

    /** The checker's listener: records every event. */
    static final class Recorder implements EventListener {
        final Thread caller = Thread.currentThread();
        final boolean throwing;
        final int[] next;
        final Set<Thread> threads = new LinkedHashSet<>();
        volatile boolean startReturned;
        int calls;
        int outOfOrder;
        int badSource;
        int onCaller;
        int outsideCallback;
        int beforeStartReturned;
        int thrown;
        int afterThrow;
        String firstProblem;

        Recorder(boolean throwing, int sources) {
            this.throwing = throwing;
            this.next = new int[sources];
        }

        @Override
        public synchronized void onEvent(int source, int seq) {
            Thread self = Thread.currentThread();
            calls++;
            if (thrown > 0) {
                afterThrow++;
            }
            threads.add(self);
            if (self == caller) {
                onCaller++;
            }
            if (!startReturned) {
                beforeStartReturned++;
            }
            try {
                if ((int) inCallback.invokeExact() == 0) {
                    outsideCallback++;
                }
            } catch (Throwable t) {
                outsideCallback++;
            }
            if (source < 0 || source >= next.length) {
                badSource++;
                if (firstProblem == null) {
                    firstProblem = "onEvent(" + source + ", " + seq + "): there is no source " + source;
                }
            } else {
                if (seq != next[source] && firstProblem == null) {
                    firstProblem = "onEvent(" + source + ", " + seq + ") arrived where event " + next[source]
                            + " of source " + source + " was due";
                }
                if (seq != next[source]) {
                    outOfOrder++;
                }
                next[source] = seq + 1;
            }
            if (throwing && seq % 10 == 3) {
                thrown++;
                throw new RejectedByChecker(source, seq);
            }
        }

        synchronized int aliveAfter() {
            int alive = 0;
            for (Thread t : threads) {
                if (t != caller && t.isAlive()) {
                    alive++;
                }
            }
            return alive;
        }

        synchronized String threadNames() {
            StringBuilder names = new StringBuilder("[");
            for (Thread t : threads) {
                if (names.length() > 1) {
                    names.append(',');
                }
                names.append(quote(t.getName()));
                if (names.length() > 200) {
                    break;
                }
            }
            return names.append(']').toString();
        }
    }

    public static void main(String[] args) throws Throwable {
        boolean exitAtEnd = args.length > 0 && args[0].equals("exit");
        channel = new FileOutputStream("/proc/self/fd/" + System.getenv("FFILAB_CHANNEL_FD"));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String[]> cases = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            if (!line.isBlank()) {
                cases.add(line.trim().split("\\s+"));
            }
        }

        send("{\"kind\":\"calling\",\"id\":\"init\"}");
        Class<?> cls;
        try {
            cls = Class.forName("Events", true, FfiLabProbe.class.getClassLoader());
        } catch (ExceptionInInitializerError e) {
            send("{\"kind\":\"init\",\"error\":" + quote(describe(e.getCause())) + "}");
            return;
        } catch (Throwable e) {
            send("{\"kind\":\"init\",\"error\":" + quote(describe(e)) + "}");
            return;
        }
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            uncaught.incrementAndGet();
            System.out.println("checker: an exception reached the uncaught-exception handler of thread \""
                    + thread.getName() + "\": " + e);
        });
        boolean loaded = Files.readString(Path.of("/proc/self/maps")).contains("/libevents_jni.so");
        send("{\"kind\":\"init\",\"error\":null,\"loaded\":" + loaded + "}");

        Method start = method(cls, "start", EventListener.class, int.class, int.class);
        Method stop = method(cls, "stop");
        send("{\"kind\":\"methods\",\"start\":" + shape(start) + ",\"stop\":" + shape(stop) + "}");
        if (start == null || stop == null || !Modifier.isStatic(start.getModifiers())
                || !Modifier.isStatic(stop.getModifiers())) {
            send("{\"kind\":\"done\"}");
            finish(exitAtEnd);
            return;
        }

        SymbolLookup glue = SymbolLookup.libraryLookup(Path.of("libevents_jni.so").toAbsolutePath(), Arena.global());
        Linker linker = Linker.nativeLinker();
        inCallback = linker.downcallHandle(glue.find("events_in_callback").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        delivered = linker.downcallHandle(glue.find("events_delivered").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG));
        reentered = linker.downcallHandle(glue.find("events_reentered").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG));

        List<WeakReference<Recorder>> listeners = new ArrayList<>();
        for (String[] c : cases) {
            String id = c[1];
            send("{\"kind\":\"calling\",\"id\":" + quote(id) + "}");
            listeners.add(runCase(start, stop, c[0].equals("throwing"), id, Integer.parseInt(c[2]), Integer.parseInt(c[3])));
        }

        send("{\"kind\":\"calling\",\"id\":\"gc\"}");
        int held = listeners.size();
        for (int i = 0; i < 10 && held > 0; i++) {
            System.gc();
            Thread.sleep(20);
            held = 0;
            for (WeakReference<Recorder> ref : listeners) {
                if (ref.get() != null) {
                    held++;
                }
            }
        }
        send("{\"kind\":\"after\",\"listenersHeld\":" + held + ",\"listeners\":" + listeners.size()
                + ",\"reentered\":" + (long) reentered.invokeExact() + "}");
        send("{\"kind\":\"done\"}");
        finish(exitAtEnd);
    }

    private static WeakReference<Recorder> runCase(Method start, Method stop, boolean throwing, String id,
            int threads, int count) throws Throwable {
        Recorder listener = new Recorder(throwing, threads);
        int uncaughtBefore = uncaught.get();
        String startStatus = "null";
        String startError = "null";
        String stopResult = "null";
        String stopError = "null";
        try {
            startStatus = String.valueOf(start.invoke(null, listener, threads, count));
        } catch (InvocationTargetException e) {
            startError = quote(describe(e.getCause()));
        }
        listener.startReturned = true;
        send("{\"kind\":\"calling\",\"id\":" + quote(id + ":stop") + "}");
        try {
            stopResult = String.valueOf(stop.invoke(null));
        } catch (InvocationTargetException e) {
            stopError = quote(describe(e.getCause()));
        }
        long deliveredNow = (long) delivered.invokeExact();
        synchronized (listener) {
            System.out.println("checker: Events.start(listener" + (throwing ? " that throws at seq % 10 == 3" : "")
                    + ", " + threads + ", " + count + ") -> " + (startError.equals("null") ? startStatus : "threw " + startError)
                    + "; Events.stop() -> " + (stopError.equals("null") ? stopResult : "threw " + stopError)
                    + "; " + listener.calls + " events seen, " + listener.thrown + " rejected, on thread(s) "
                    + listener.threadNames());
            send("{\"kind\":\"case\",\"id\":" + quote(id) + ",\"throwing\":" + throwing + ",\"threads\":" + threads
                    + ",\"count\":" + count + ",\"startStatus\":" + startStatus + ",\"startError\":" + startError
                    + ",\"stopResult\":" + stopResult + ",\"stopError\":" + stopError + ",\"calls\":" + listener.calls
                    + ",\"outOfOrder\":" + listener.outOfOrder + ",\"badSource\":" + listener.badSource
                    + ",\"firstProblem\":" + (listener.firstProblem == null ? "null" : quote(listener.firstProblem))
                    + ",\"onCaller\":" + listener.onCaller + ",\"outsideCallback\":" + listener.outsideCallback
                    + ",\"beforeStartReturned\":" + listener.beforeStartReturned + ",\"thrown\":" + listener.thrown
                    + ",\"afterThrow\":" + listener.afterThrow + ",\"uncaught\":" + (uncaught.get() - uncaughtBefore)
                    + ",\"delivered\":" + deliveredNow + ",\"threadNames\":" + listener.threadNames()
                    + ",\"threadsSeen\":" + listener.threads.size() + ",\"aliveAfter\":" + listener.aliveAfter() + "}");
        }
        return new WeakReference<>(listener);
    }

    private static void finish(boolean exitAtEnd) {
        System.out.flush();
        if (exitAtEnd) {
            System.exit(0);
        }
        // Otherwise main returns, and the JVM waits for every live non-daemon Java thread before
        // it exits: a native thread that attached itself and never detached is one of them.
    }

    private static Method method(Class<?> cls, String name, Class<?>... params) {
        try {
            Method m = cls.getDeclaredMethod(name, params);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static String shape(Method m) {
        if (m == null) {
            return "null";
        }
        return "{\"static\":" + Modifier.isStatic(m.getModifiers()) + ",\"native\":"
                + Modifier.isNative(m.getModifiers()) + ",\"returns\":" + quote(m.getReturnType().getName()) + "}";
    }

    private static String describe(Throwable t) {
        StringBuilder s = new StringBuilder(String.valueOf(t));
        for (Throwable cause = t == null ? null : t.getCause(); cause != null && cause != t; cause = cause.getCause()) {
            s.append("\n  caused by ").append(cause);
            t = cause;
        }
        return s.toString();
    }

    private static void send(String json) throws Exception {
        synchronized (FfiLabProbe.class) {
            channel.write((json + "\n").getBytes(StandardCharsets.UTF_8));
            channel.flush();
        }
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
