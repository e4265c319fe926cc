import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hidden checker for task 13 (JNI track): calls LocalRefs.sumWithDelete / sumWithFrame and
 * reports what happened. It judges nothing; check.py does (and picks the heap size).
 *
 * The cases arrive on stdin, one per line:  delete ID N  |  frame ID N
 * One JSON object per line goes to the descriptor named by $FFILAB_CHANNEL_FD; a "calling" line
 * before each case pins a crash on it. Reading's counters show how many Readings the native loop
 * made and used.
 */
public final class FfiLabProbe {

    private static OutputStream channel;

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
            cls = Class.forName("LocalRefs", true, FfiLabProbe.class.getClassLoader());
        } catch (ExceptionInInitializerError e) {
            send("{\"kind\":\"init\",\"error\":" + quote(describe(e.getCause())) + "}");
            return;
        } catch (Throwable e) {
            send("{\"kind\":\"init\",\"error\":" + quote(describe(e)) + "}");
            return;
        }
        boolean loaded = Files.readString(Path.of("/proc/self/maps")).contains("/liblocalrefs_jni.so");
        send("{\"kind\":\"init\",\"error\":null,\"loaded\":" + loaded + "}");

        Method delete = method(cls, "sumWithDelete");
        Method frame = method(cls, "sumWithFrame");
        send("{\"kind\":\"methods\",\"sumWithDelete\":" + shape(delete) + ",\"sumWithFrame\":" + shape(frame) + "}");

        for (String[] c : cases) {
            Method m = c[0].equals("delete") ? delete : frame;
            String id = c[1];
            int n = Integer.parseInt(c[2]);
            if (m == null || !Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Reading.created = 0;
            Reading.valueCalls = 0;
            send("{\"kind\":\"calling\",\"id\":" + quote(id) + "}");
            String value = "null";
            String error = "null";
            long start = System.nanoTime();
            try {
                value = String.valueOf(m.invoke(null, n));
            } catch (InvocationTargetException e) {
                error = quote(describe(e.getCause()));
            }
            long micros = (System.nanoTime() - start) / 1000;
            System.out.println("checker: LocalRefs." + m.getName() + "(" + n + ") -> "
                    + (error.equals("null") ? value : "threw " + error) + " (" + micros / 1000 + " ms; "
                    + Reading.created + " Readings made, value() called " + Reading.valueCalls + " times)");
            send("{\"kind\":\"result\",\"id\":" + quote(id) + ",\"method\":" + quote(m.getName()) + ",\"n\":" + n
                    + ",\"value\":" + value + ",\"error\":" + error + ",\"created\":" + Reading.created
                    + ",\"valueCalls\":" + Reading.valueCalls + ",\"micros\":" + micros + "}");
        }
        send("{\"kind\":\"done\"}");
    }

    private static Method method(Class<?> cls, String name) {
        try {
            Method m = cls.getDeclaredMethod(name, int.class);
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
