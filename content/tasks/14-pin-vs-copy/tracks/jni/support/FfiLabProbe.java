import java.io.FileOutputStream;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hidden checker for task 14 (JNI track): calls ByteSum.sumElements / sumCritical and reports
 * what happened. It judges nothing; check.py does.
 *
 * Usage: java ... FfiLabProbe check|bench ROUNDS
 *   check   each method on a few small arrays and once on the big one (meant for -Xcheck:jni)
 *   bench   each method on the big array: one warm-up call, then ROUNDS timed calls, with the
 *           process's resident memory (VmRSS) before and after (meant for a run without it)
 * One JSON object per line goes to the descriptor named by $FFILAB_CHANNEL_FD; a "calling" line
 * before each call pins a crash on it. The lab's sum_bytes counts its calls and bytes, read here
 * through a Panama downcall into the same loaded library.
 */
public final class FfiLabProbe {

    static final int BIG = 64 << 20;

    private static OutputStream channel;
    private static MethodHandle calls;
    private static MethodHandle total;

    public static void main(String[] args) throws Throwable {
        channel = new FileOutputStream("/proc/self/fd/" + System.getenv("FFILAB_CHANNEL_FD"));
        boolean bench = args[0].equals("bench");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;

        send("{\"kind\":\"calling\",\"id\":\"init\"}");
        Class<?> cls;
        try {
            cls = Class.forName("ByteSum", true, FfiLabProbe.class.getClassLoader());
        } catch (ExceptionInInitializerError e) {
            send("{\"kind\":\"init\",\"error\":" + quote(describe(e.getCause())) + "}");
            return;
        } catch (Throwable e) {
            send("{\"kind\":\"init\",\"error\":" + quote(describe(e)) + "}");
            return;
        }
        boolean loaded = Files.readString(Path.of("/proc/self/maps")).contains("/libbytesum_jni.so");
        send("{\"kind\":\"init\",\"error\":null,\"loaded\":" + loaded + "}");

        Method elements = method(cls, "sumElements");
        Method critical = method(cls, "sumCritical");
        send("{\"kind\":\"methods\",\"sumElements\":" + shape(elements) + ",\"sumCritical\":" + shape(critical) + "}");

        SymbolLookup glue = SymbolLookup.libraryLookup(Path.of("libbytesum_jni.so").toAbsolutePath(), Arena.global());
        Linker linker = Linker.nativeLinker();
        calls = linker.downcallHandle(glue.find("sum_bytes_calls").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_LONG));
        total = linker.downcallHandle(glue.find("sum_bytes_total").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_LONG));

        byte[] big = new byte[BIG];
        Random random = new Random(14);
        random.nextBytes(big);
        long bigSum = sum(big);

        for (Method m : new Method[] {elements, critical}) {
            if (m == null || !Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String name = m.getName();
            if (!bench) {
                List<byte[]> arrays = new ArrayList<>();
                arrays.add(new byte[0]);
                arrays.add(new byte[] {1, 2, 3});
                arrays.add(new byte[] {-1, -128, 127, 0});
                byte[] some = new byte[10_000];
                random.nextBytes(some);
                arrays.add(some);
                arrays.add(big);
                for (byte[] a : arrays) {
                    String id = name + ":" + a.length;
                    send("{\"kind\":\"calling\",\"id\":" + quote(id) + "}");
                    Call call = call(m, a);
                    System.out.println("checker: ByteSum." + name + "(byte[" + a.length + "]) -> " + call.shown());
                    send("{\"kind\":\"sum\",\"id\":" + quote(id) + ",\"method\":" + quote(name) + ",\"length\":" + a.length
                            + ",\"expected\":" + sum(a) + "," + call.json() + "}");
                }
            } else {
                String id = name + ":bench";
                send("{\"kind\":\"calling\",\"id\":" + quote(id) + "}");
                Call warm = call(m, big);
                long rssBefore = rssKb();
                StringBuilder times = new StringBuilder("[");
                int wrong = 0;
                String error = warm.error;
                long c0 = (long) calls.invokeExact();
                long b0 = (long) total.invokeExact();
                for (int r = 0; r < rounds && error == null; r++) {
                    Call c = call(m, big);
                    error = c.error;
                    if (c.value == null || c.value != bigSum) {
                        wrong++;
                    }
                    times.append(r > 0 ? "," : "").append(c.micros);
                }
                times.append(']');
                long rssAfter = rssKb();
                long c1 = (long) calls.invokeExact();
                long b1 = (long) total.invokeExact();
                System.out.println("checker: " + rounds + " x ByteSum." + name + "(byte[" + BIG + "]): times in microseconds "
                        + times + ", " + wrong + " wrong sum(s), resident memory " + rssBefore / 1024 + " MB -> "
                        + rssAfter / 1024 + " MB" + (error == null ? "" : "; threw " + error));
                send("{\"kind\":\"bench\",\"id\":" + quote(id) + ",\"method\":" + quote(name) + ",\"rounds\":" + rounds
                        + ",\"micros\":" + times + ",\"wrong\":" + wrong + ",\"warmOk\":" + (warm.value != null && warm.value == bigSum)
                        + ",\"error\":" + (error == null ? "null" : quote(error)) + ",\"rssBeforeKb\":" + rssBefore
                        + ",\"rssAfterKb\":" + rssAfter + ",\"cCalls\":" + (c1 - c0) + ",\"cBytes\":" + (b1 - b0) + "}");
            }
        }
        send("{\"kind\":\"done\"}");
    }

    /** One call's outcome. */
    static final class Call {
        Long value;
        String error;
        long micros;
        long cCalls;
        long cBytes;

        String shown() {
            return (error == null ? String.valueOf(value) : "threw " + error) + " (" + micros / 1000 + " ms)";
        }

        String json() {
            return "\"value\":" + value + ",\"error\":" + (error == null ? "null" : quote(error)) + ",\"micros\":" + micros
                    + ",\"cCalls\":" + cCalls + ",\"cBytes\":" + cBytes;
        }
    }

    static Call call(Method m, byte[] a) throws Throwable {
        Call call = new Call();
        long c0 = (long) calls.invokeExact();
        long b0 = (long) total.invokeExact();
        long start = System.nanoTime();
        try {
            call.value = (Long) m.invoke(null, (Object) a);
        } catch (InvocationTargetException e) {
            call.error = describe(e.getCause());
        }
        call.micros = (System.nanoTime() - start) / 1000;
        call.cCalls = (long) calls.invokeExact() - c0;
        call.cBytes = (long) total.invokeExact() - b0;
        return call;
    }

    static long sum(byte[] a) {
        long s = 0;
        for (byte b : a) {
            s += b & 0xff;
        }
        return s;
    }

    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static Method method(Class<?> cls, String name) {
        try {
            Method m = cls.getDeclaredMethod(name, byte[].class);
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
        channel.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        channel.flush();
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
