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

/**
 * Hidden checker for task 8 (Panama track): calls the student's MyMath.add and reports what it saw.
 *
 * It judges nothing. The cases ("a b", one per line) arrive on stdin; one JSON object per line
 * goes to the descriptor named by $FFILAB_CHANNEL_FD, and check.py decides. A "calling" line
 * before each call pins a crash on the call that caused it. The C library's own call counter,
 * read through a lookup of this class's own, shows whether a call really reached C.
 */
public final class FfiLabProbe {

    private static OutputStream channel;

    public static void main(String[] args) throws Throwable {
        channel = new FileOutputStream("/proc/self/fd/" + System.getenv("FFILAB_CHANNEL_FD"));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        java.util.List<int[]> cases = new java.util.ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                cases.add(new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])});
            }
        }

        MethodHandle counter = Linker.nativeLinker().downcallHandle(
                SymbolLookup.libraryLookup(Path.of("libmymath.so").toAbsolutePath(), Arena.global())
                        .find("mymath_calls").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));

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

        Method add = null;
        for (Method m : cls.getDeclaredMethods()) {
            Class<?>[] p = m.getParameterTypes();
            if (m.getName().equals("add") && p.length == 2 && p[0] == int.class && p[1] == int.class) {
                add = m;
            }
        }
        if (add == null || !Modifier.isStatic(add.getModifiers())) {
            send("{\"kind\":\"method\",\"present\":false,\"static\":" + (add != null) + "}");
            return;
        }
        add.setAccessible(true);
        send("{\"kind\":\"method\",\"present\":true,\"returns\":" + quote(add.getReturnType().getName()) + "}");

        for (int[] c : cases) {
            String id = c[0] + " " + c[1];
            send("{\"kind\":\"calling\",\"id\":" + quote(id) + "}");
            int before = (int) counter.invokeExact();
            String report;
            try {
                Object r = add.invoke(null, c[0], c[1]);
                int after = (int) counter.invokeExact();
                String value = r instanceof Number ? Long.toString(((Number) r).longValue()) : "null";
                report = "\"value\":" + value + ",\"error\":null,\"nativeCalls\":" + (after - before);
            } catch (InvocationTargetException e) {
                report = "\"value\":null,\"error\":" + quote(describe(e.getCause()));
            }
            send("{\"kind\":\"result\",\"id\":" + quote(id) + "," + report + "}");
        }
    }

    private static String describe(Throwable t) {
        StringBuilder s = new StringBuilder(String.valueOf(t));
        for (Throwable cause = t.getCause(); cause != null && cause != t; cause = cause.getCause()) {
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
