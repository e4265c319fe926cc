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
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Hidden checker for task 12 (JNI track): calls Ticker.run with a listener of its own and
 * reports what the listener saw. It judges nothing; check.py does.
 *
 * Usage: java ... FfiLabProbe wait|exit   (exit: System.exit after the last report, so a JVM
 * that would hang at its end does not hang this run). The cases arrive on stdin, one per line:
 *   once ID COUNT           one Ticker.run(COUNT, listener), reported in detail
 *   repeat ID RUNS COUNT    RUNS calls of Ticker.run(COUNT, listener), reported as a summary
 * One JSON object per line goes to the descriptor named by $FFILAB_CHANNEL_FD. A "calling" line
 * before each case pins a crash on it. The listener asks the ticker library (ticker_in_tick,
 * through a Panama downcall into the same loaded library) whether it runs inside the library's
 * tick call on the library's own thread.
 */
public final class FfiLabProbe {

    private static OutputStream channel;
    private static MethodHandle inTick;
    private static MethodHandle delivered;

    /** What the listener saw during one Ticker.run. */
    static final class Listener implements IntConsumer {
        final Thread caller = Thread.currentThread();
        final Set<Thread> threads = new LinkedHashSet<>();
        final List<Integer> firstValues = new ArrayList<>();
        int calls;
        int expected;
        int outOfOrder;
        int onCaller;
        int outsideTick;

        @Override
        public void accept(int value) {
            Thread self = Thread.currentThread();
            if (value != expected) {
                outOfOrder++;
            }
            expected = value + 1;
            if (calls < 20) {
                firstValues.add(value);
            }
            calls++;
            threads.add(self);
            if (self == caller) {
                onCaller++;
            }
            try {
                if ((int) inTick.invokeExact() == 0) {
                    outsideTick++;
                }
            } catch (Throwable t) {
                outsideTick++;
            }
        }

        int aliveAfter() {
            int alive = 0;
            for (Thread t : threads) {
                if (t != caller && t.isAlive()) {
                    alive++;
                }
            }
            return alive;
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
            cls = Class.forName("Ticker", true, FfiLabProbe.class.getClassLoader());
        } catch (ExceptionInInitializerError e) {
            send("{\"kind\":\"init\",\"error\":" + quote(describe(e.getCause())) + "}");
            return;
        } catch (Throwable e) {
            send("{\"kind\":\"init\",\"error\":" + quote(describe(e)) + "}");
            return;
        }
        // Whether Ticker's static initializer loaded the glue library (before the probe itself
        // opens it below, for the library's counters).
        boolean loaded = java.nio.file.Files.readString(Path.of("/proc/self/maps")).contains("/libticker_jni.so");
        send("{\"kind\":\"init\",\"error\":null,\"loaded\":" + loaded + "}");

        Method run = null;
        try {
            run = cls.getDeclaredMethod("run", int.class, IntConsumer.class);
            run.setAccessible(true);
        } catch (NoSuchMethodException e) {
            // reported below
        }
        send("{\"kind\":\"method\",\"present\":" + (run != null)
                + ",\"static\":" + (run != null && Modifier.isStatic(run.getModifiers()))
                + ",\"native\":" + (run != null && Modifier.isNative(run.getModifiers()))
                + ",\"returns\":" + quote(run == null ? "" : run.getReturnType().getName()) + "}");
        if (run == null || !Modifier.isStatic(run.getModifiers())) {
            send("{\"kind\":\"done\"}");
            finish(exitAtEnd);
            return;
        }

        SymbolLookup glue = SymbolLookup.libraryLookup(Path.of("libticker_jni.so").toAbsolutePath(), Arena.global());
        Linker linker = Linker.nativeLinker();
        inTick = linker.downcallHandle(glue.find("ticker_in_tick").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        delivered = linker.downcallHandle(glue.find("ticker_ticks_delivered").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG));

        for (String[] c : cases) {
            String id = c[1];
            send("{\"kind\":\"calling\",\"id\":" + quote(id) + "}");
            if (c[0].equals("once")) {
                once(run, id, Integer.parseInt(c[2]));
            } else if (c[0].equals("repeat")) {
                repeat(run, id, Integer.parseInt(c[2]), Integer.parseInt(c[3]));
            }
        }
        send("{\"kind\":\"done\"}");
        finish(exitAtEnd);
    }

    private static void finish(boolean exitAtEnd) {
        System.out.flush();
        if (exitAtEnd) {
            System.exit(0);
        }
        // Otherwise main returns, and the JVM waits for every non-daemon Java thread before it
        // exits: a native thread that attached itself and never detached is one of them.
    }

    private static void once(Method run, String id, int count) throws Throwable {
        Listener listener = new Listener();
        long before = (long) delivered.invokeExact();
        String status = "null";
        String error = "null";
        try {
            status = String.valueOf(run.invoke(null, count, listener));
        } catch (InvocationTargetException e) {
            error = quote(describe(e.getCause()));
        }
        long after = (long) delivered.invokeExact();
        StringBuilder names = new StringBuilder("[");
        for (Thread t : listener.threads) {
            names.append(names.length() > 1 ? "," : "").append(quote(t.getName()));
        }
        names.append(']');
        System.out.println("checker: Ticker.run(" + count + ", listener) -> " + (error.equals("null") ? status : "threw")
                + "; the listener was called " + listener.calls + " times, first values " + listener.firstValues
                + ", on thread(s) " + names);
        send("{\"kind\":\"once\",\"id\":" + quote(id) + ",\"count\":" + count + ",\"status\":" + status
                + ",\"error\":" + error + ",\"calls\":" + listener.calls + ",\"firstValues\":" + listener.firstValues
                + ",\"outOfOrder\":" + listener.outOfOrder + ",\"onCaller\":" + listener.onCaller
                + ",\"outsideTick\":" + listener.outsideTick + ",\"delivered\":" + (after - before)
                + ",\"threads\":" + names + ",\"aliveAfter\":" + listener.aliveAfter() + "}");
    }

    private static void repeat(Method run, String id, int runs, int count) throws Throwable {
        long before = (long) delivered.invokeExact();
        long calls = 0;
        int badRuns = 0;
        int aliveAfter = 0;
        long onCaller = 0;
        long outsideTick = 0;
        String firstBad = "null";
        int done = 0;
        for (int i = 0; i < runs; i++) {
            Listener listener = new Listener();
            String problem = null;
            try {
                Object status = run.invoke(null, count, listener);
                if (!Integer.valueOf(0).equals(status)) {
                    problem = "returned " + status;
                }
            } catch (InvocationTargetException e) {
                problem = "threw " + describe(e.getCause());
            }
            if (problem == null && (listener.calls != count || listener.outOfOrder != 0)) {
                problem = "the listener was called " + listener.calls + " times (expected " + count + "), first values "
                        + listener.firstValues;
            }
            if (problem != null) {
                badRuns++;
                if (firstBad.equals("null")) {
                    firstBad = quote("run " + (i + 1) + ": " + problem);
                }
            }
            calls += listener.calls;
            onCaller += listener.onCaller;
            outsideTick += listener.outsideTick;
            aliveAfter += listener.aliveAfter();
            done++;
        }
        long after = (long) delivered.invokeExact();
        System.out.println("checker: " + done + " x Ticker.run(" + count + ", listener): " + calls
                + " listener calls in all, " + badRuns + " run(s) went wrong");
        send("{\"kind\":\"repeat\",\"id\":" + quote(id) + ",\"runs\":" + done + ",\"count\":" + count
                + ",\"calls\":" + calls + ",\"badRuns\":" + badRuns + ",\"firstBad\":" + firstBad
                + ",\"onCaller\":" + onCaller + ",\"outsideTick\":" + outsideTick
                + ",\"delivered\":" + (after - before) + ",\"aliveAfter\":" + aliveAfter + "}");
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
        channel.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        channel.flush();
    }

    private static String quote(String s) {
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
