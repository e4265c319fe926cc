import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * Hazard arena-closed: register() creates the stored callback's stub in a try-with-resources
 * arena, so the stub is freed as soon as register() returns, while C keeps its address.
 */
public final class Upcall {

    public static final int UPCALL_OK = 0;
    public static final int UPCALL_FAILED = 1;
    public static final int UPCALL_NO_CALLBACK = -1;

    private static final Linker LINKER = Linker.nativeLinker();
    /** C's upcall_fn: int (*)(int). */
    private static final FunctionDescriptor CALLBACK = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle GUARD_CALL;
    private static final MethodHandle FOR_EACH;
    private static final MethodHandle REGISTER_CB;
    private static final MethodHandle FIRE;

    static {
        SymbolLookup lib = SymbolLookup.libraryLookup(Path.of("libupcall.so"), Arena.global());
        FOR_EACH = LINKER.downcallHandle(lib.find("for_each").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        REGISTER_CB = LINKER.downcallHandle(lib.find("register_cb").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        FIRE = LINKER.downcallHandle(lib.find("fire").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        try {
            GUARD_CALL = MethodHandles.lookup().findVirtual(Guard.class, "call",
                    MethodType.methodType(int.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * What C really calls: runs fn and turns anything it throws into a status. An exception that
     * left an upcall would not unwind through C: the JVM would print it and exit.
     */
    static final class Guard {
        private final IntConsumer fn;
        Throwable error;

        Guard(IntConsumer fn) {
            this.fn = fn;
        }

        int call(int value) {
            try {
                fn.accept(value);
                return UPCALL_OK;
            } catch (Throwable t) {
                error = t;
                return UPCALL_FAILED;
            }
        }

        /** A C function pointer to this guard's call, valid as long as arena is open. */
        MemorySegment stub(Arena arena) {
            return LINKER.upcallStub(GUARD_CALL.bindTo(this), CALLBACK, arena);
        }

        void rethrow() {
            Throwable t = error;
            error = null;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new RuntimeException(t); // a checked exception thrown sneakily
            }
        }
    }

    /** Has C call fn(x) for every x in values, in order; if fn throws, C stops there and so does this. */
    public static void forEach(int[] values, IntConsumer fn) {
        Guard guard = new Guard(fn);
        int status;
        // C uses this stub only while for_each runs: an arena closed right after is fine.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xs = arena.allocateFrom(ValueLayout.JAVA_INT, values);
            status = (int) FOR_EACH.invokeExact(xs, values.length, guard.stub(arena));
        } catch (Throwable t) {
            throw new IllegalStateException("calling for_each failed", t);
        }
        guard.rethrow();
        if (status != UPCALL_OK) {
            throw new IllegalStateException("for_each failed with status " + status);
        }
    }

    // The stored callback's stub must outlive register(): its arena stays open until C holds
    // another stub (or none), and is closed only then. A shared arena may be closed from any thread.
    private static Arena registeredArena;
    private static Guard registered;

    /** Hands fn to C, which calls it on every later fire(x); replaces the function registered before. */
    public static synchronized void register(IntConsumer fn) {
        Guard guard = new Guard(fn);
        try (Arena arena = Arena.ofConfined()) { // BUG: the stub is freed when this block ends
            REGISTER_CB.invokeExact(guard.stub(arena));
        } catch (Throwable t) {
            throw new IllegalStateException("calling register_cb failed", t);
        }
        registered = guard;
    }

    /** Has C call the registered function with x; throws what that function threw. */
    public static synchronized void fire(int x) {
        int status;
        try {
            status = (int) FIRE.invokeExact(x);
        } catch (Throwable t) {
            throw new IllegalStateException("calling fire failed", t);
        }
        if (registered != null) {
            registered.rethrow();
        }
        if (status == UPCALL_NO_CALLBACK) {
            throw new IllegalStateException("fire(" + x + "): no function is registered; call register() first");
        }
        if (status != UPCALL_OK) {
            throw new IllegalStateException("fire(" + x + ") failed with status " + status);
        }
    }

    public static void main(String[] args) {
        forEach(new int[] {1, 2, 3}, x -> System.out.println("for_each called back with " + x));
        register(x -> System.out.println("the registered function got " + x));
        fire(42);
        try {
            forEach(new int[] {1, 2, 3}, x -> {
                if (x == 2) {
                    throw new IllegalArgumentException("2 is not welcome");
                }
            });
        } catch (IllegalArgumentException e) {
            System.out.println("forEach threw: " + e.getMessage());
        }
    }
}
