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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Hidden checker for task 11 (Panama track): calls Upcall.forEach / register / fire with
 * functions of its own and reports which values reached which function. It judges nothing;
 * check.py does.
 *
 * The operations arrive on stdin, one per line:
 *   each ID V1,V2,...|_        Upcall.forEach(values, a recorder)
 *   eachthrow ID V1,... X      the same with a recorder that throws at X
 *   register ID NAME [X]       Upcall.register(recorder NAME), one that throws at X if given
 *   fire ID X                  Upcall.fire(X)
 *   gc ID                      System.gc() a few times, with garbage in between
 * One JSON object per line goes to the descriptor named by $FFILAB_CHANNEL_FD; a "calling" line
 * before each operation pins a crash on it. libupcall's own counter (upcall_calls) shows that
 * each call really came from C.
 */
public final class FfiLabProbe {

    private static OutputStream channel;
    private static MethodHandle upcallCalls;
    private static final Map<String, Recorder> recorders = new LinkedHashMap<>();

    /** A function of the checker's: records the values it receives; may throw at one value. */
    static final class Recorder implements IntConsumer {
        final String name;
        final Integer throwAt;
        final List<Integer> got = new ArrayList<>();
        int count;
        RuntimeException thrown;

        Recorder(String name, Integer throwAt) {
            this.name = name;
            this.throwAt = throwAt;
        }

        @Override
        public void accept(int x) {
            count++;
            if (got.size() < 20000) {
                got.add(x);
            }
            if (throwAt != null && x == throwAt) {
                thrown = new IllegalStateException("the checker's function " + name + " rejects " + x);
                throw thrown;
            }
        }
    }

    public static void main(String[] args) throws Throwable {
        channel = new FileOutputStream("/proc/self/fd/" + System.getenv("FFILAB_CHANNEL_FD"));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String[]> ops = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            if (!line.isBlank()) {
                ops.add(line.trim().split("\\s+"));
            }
        }

        send("{\"kind\":\"calling\",\"id\":\"init\"}");
        Class<?> cls;
        try {
            cls = Class.forName("Upcall", true, FfiLabProbe.class.getClassLoader());
        } catch (ExceptionInInitializerError e) {
            send("{\"kind\":\"init\",\"error\":" + quote(describe(e.getCause())) + "}");
            return;
        } catch (Throwable e) {
            send("{\"kind\":\"init\",\"error\":" + quote(describe(e)) + "}");
            return;
        }
        send("{\"kind\":\"init\",\"error\":null}");

        Method forEach = method(cls, "forEach", int[].class, IntConsumer.class);
        Method register = method(cls, "register", IntConsumer.class);
        Method fire = method(cls, "fire", int.class);
        send("{\"kind\":\"methods\",\"forEach\":" + shape(forEach) + ",\"register\":" + shape(register)
                + ",\"fire\":" + shape(fire) + "}");

        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup(Path.of("libupcall.so").toAbsolutePath(), Arena.global());
        upcallCalls = linker.downcallHandle(lib.find("upcall_calls").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));

        for (String[] op : ops) {
            String id = op[1];
            send("{\"kind\":\"calling\",\"id\":" + quote(id) + "}");
            for (Recorder r : recorders.values()) {
                r.got.clear();
                r.count = 0;
            }
            int before = (int) upcallCalls.invokeExact();
            String error = null;
            boolean same = false;
            Recorder own = null;
            int[] input = null;
            try {
                switch (op[0]) {
                    case "each", "eachthrow" -> {
                        input = ints(op[2]);
                        own = new Recorder(id, op[0].equals("eachthrow") ? Integer.valueOf(op[3]) : null);
                        recorders.put(id, own);
                        call(forEach, input, own);
                    }
                    case "register" -> {
                        own = new Recorder(op[2], op.length > 3 ? Integer.valueOf(op[3]) : null);
                        recorders.put(op[2], own);
                        call(register, own);
                    }
                    case "fire" -> {
                        call(fire, Integer.parseInt(op[2]));
                    }
                    case "gc" -> {
                        for (int i = 0; i < 3; i++) {
                            byte[][] garbage = new byte[256][];
                            for (int j = 0; j < garbage.length; j++) {
                                garbage[j] = new byte[4096];
                            }
                            System.gc();
                        }
                    }
                    default -> { }
                }
            } catch (InvocationTargetException e) {
                Throwable t = e.getCause();
                error = describe(t);
                for (Recorder r : recorders.values()) {
                    if (r.thrown != null && r.thrown == t) {
                        same = true;
                    }
                }
            }
            int after = (int) upcallCalls.invokeExact();
            StringBuilder calls = new StringBuilder("{");
            StringBuilder text = new StringBuilder();
            for (Recorder r : recorders.values()) {
                if (r.count > 0) {
                    calls.append(calls.length() > 1 ? "," : "").append(quote(r.name)).append(":{\"count\":")
                            .append(r.count).append(",\"values\":").append(r.got.size() <= 20 ? r.got
                                    : r.got.subList(0, 20)).append('}');
                    text.append(text.length() > 0 ? "; " : "").append(r.name).append(" got ")
                            .append(r.got.size() <= 8 ? r.got.toString() : r.count + " values");
                }
            }
            calls.append('}');
            System.out.println("checker: " + op[0] + " " + id + ": " + (error == null ? "returned" : "threw " + error)
                    + (text.length() > 0 ? "; " + text : "") + "; C made " + (after - before) + " callback(s)");
            send("{\"kind\":\"result\",\"id\":" + quote(id) + ",\"op\":" + quote(op[0]) + ",\"error\":"
                    + (error == null ? "null" : quote(error)) + ",\"same\":" + same + ",\"cCalls\":" + (after - before)
                    + ",\"calls\":" + calls
                    + ",\"sameAsInput\":" + (input != null && own != null && own.got.equals(boxed(input))) + "}");
        }
        send("{\"kind\":\"done\"}");
    }

    private static void call(Method m, Object... args) throws InvocationTargetException, IllegalAccessException {
        if (m == null || !Modifier.isStatic(m.getModifiers())) {
            throw new InvocationTargetException(new NoSuchMethodError("Upcall has no static method " + (m == null ? "for this call" : m.getName())));
        }
        m.invoke(null, args);
    }

    private static List<Integer> boxed(int[] values) {
        List<Integer> out = new ArrayList<>(values.length);
        for (int v : values) {
            out.add(v);
        }
        return out;
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
        return "{\"static\":" + Modifier.isStatic(m.getModifiers()) + ",\"returns\":" + quote(m.getReturnType().getName()) + "}";
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
