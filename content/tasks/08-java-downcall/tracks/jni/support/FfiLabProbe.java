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
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Hidden checker for task 8 (JNI track): calls the student's native methods, reports what it saw.
 *
 * It judges nothing. The cases arrive on stdin, one per line:
 *   add A B                     MyMath.add(A, B)
 *   sum ID V1,V2,... M          MyMath.sumChecked(values, v -> M * v)
 *   throw ID V1,V2,... X        MyMath.sumChecked(values, v -> v == X ? throw : v)
 * One JSON object per line goes to the descriptor named by $FFILAB_CHANNEL_FD, and check.py
 * decides. A "calling" line before each call pins a crash on the call that caused it. The C
 * library's own call counter, read through a lookup of this class's own (the same loaded
 * library), shows whether MyMath.add really reached the C function add.
 */
public final class FfiLabProbe {

    private static OutputStream channel;

    /** The exception the checker's callback throws; check.py looks for its message. */
    static final class RejectedByChecker extends RuntimeException {
        RejectedByChecker(int v) {
            super("the checker's callback rejects " + v);
        }
    }

    public static void main(String[] args) throws Throwable {
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
            cls = Class.forName("MyMath", true, FfiLabProbe.class.getClassLoader());
        } catch (ExceptionInInitializerError e) {
            send("{\"kind\":\"init\",\"error\":" + quote(describe(e.getCause())) + "}");
            return;
        } catch (Throwable e) {
            send("{\"kind\":\"init\",\"error\":" + quote(describe(e)) + "}");
            return;
        }
        send("{\"kind\":\"init\",\"error\":null}");

        MethodHandle counter = Linker.nativeLinker().downcallHandle(
                SymbolLookup.libraryLookup(Path.of("libmymath_jni.so").toAbsolutePath(), Arena.global())
                        .find("mymath_calls").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));

        Method add = method(cls, "add", int.class, int.class);
        Method sum = method(cls, "sumChecked", int[].class, IntUnaryOperator.class);
        send("{\"kind\":\"methods\",\"add\":" + shape(add) + ",\"sumChecked\":" + shape(sum) + "}");

        for (String[] c : cases) {
            String id = c[0].equals("add") ? c[1] + " " + c[2] : c[1];
            Method m = c[0].equals("add") ? add : sum;
            if (m == null || !Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            send("{\"kind\":\"calling\",\"id\":" + quote(id) + "}");
            switch (c[0]) {
                case "add" -> {
                    int before = (int) counter.invokeExact();
                    String report;
                    try {
                        Object r = add.invoke(null, Integer.parseInt(c[1]), Integer.parseInt(c[2]));
                        int after = (int) counter.invokeExact();
                        report = "\"value\":" + r + ",\"error\":null,\"nativeCalls\":" + (after - before);
                    } catch (InvocationTargetException e) {
                        report = "\"value\":null,\"error\":" + quote(describe(e.getCause()));
                    }
                    send("{\"kind\":\"add\",\"id\":" + quote(id) + "," + report + "}");
                }
                case "sum", "throw" -> {
                    int[] values = ints(c[2]);
                    int x = Integer.parseInt(c[3]);
                    boolean throwing = c[0].equals("throw");
                    int[] calls = {0};
                    RuntimeException[] thrown = {null};
                    IntUnaryOperator check = v -> {
                        calls[0]++;
                        if (throwing && v == x) {
                            thrown[0] = new RejectedByChecker(v);
                            throw thrown[0];
                        }
                        return throwing ? v : x * v;
                    };
                    String report;
                    try {
                        Object r = sum.invoke(null, values, check);
                        report = "\"value\":" + r + ",\"error\":null,\"same\":false";
                    } catch (InvocationTargetException e) {
                        Throwable t = e.getCause();
                        report = "\"value\":null,\"error\":" + quote(describe(t))
                                + ",\"same\":" + (t != null && t == thrown[0]);
                    }
                    send("{\"kind\":\"" + c[0] + "\",\"id\":" + quote(id) + "," + report
                            + ",\"calls\":" + calls[0] + ",\"threw\":" + (thrown[0] != null) + "}");
                }
                default -> { }
            }
        }
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

    private static int[] ints(String csv) {
        if (csv.equals("_")) {
            return new int[0];
        }
        String[] parts = csv.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i]);
        }
        return out;
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
