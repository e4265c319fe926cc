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
 * Task 11, Panama track: libupcall calls back into Java through upcall stubs.
 *
 * The checker builds libupcall.so in this folder, compiles this file with `javac`, and calls
 * forEach, register and fire with functions of its own, from
 *   java --enable-native-access=ALL-UNNAMED ...   (with LD_LIBRARY_PATH set to this folder)
 *
 * upcall.h:
 *   typedef int (*upcall_fn)(int value);            0 = UPCALL_OK, anything else stops C
 *   int  for_each(const int *xs, int n, upcall_fn cb);
 *   void register_cb(upcall_fn cb);                  C keeps cb for later
 *   int  fire(int x);                                calls the kept cb; -1 when there is none
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

    /** What C really calls: one per function handed to C. */
    static final class Guard {
        private final IntConsumer fn;
        Throwable error;

        Guard(IntConsumer fn) {
            this.fn = fn;
        }

        int call(int value) {
            // TODO 1: an exception must not leave this method (C cannot unwind it, and the JVM
            // ends the whole process when one does). Catch it, keep it in `error`, and return
            // UPCALL_FAILED so that C stops; the Java caller of forEach / fire throws it later.
            fn.accept(value);
            return UPCALL_OK;
        }

        /** A C function pointer to this guard's call, valid exactly as long as arena is open. */
        MemorySegment stub(Arena arena) {
            return LINKER.upcallStub(GUARD_CALL.bindTo(this), CALLBACK, arena);
        }
    }

    /** Has C call fn(x) for every x in values, in order; if fn throws, C stops there and so does this. */
    public static void forEach(int[] values, IntConsumer fn) {
        Guard guard = new Guard(fn);
        // TODO 2: in an arena that stays open for the whole for_each call: copy values into
        // native memory (arena.allocateFrom(ValueLayout.JAVA_INT, values)), make the stub
        // (guard.stub(arena)) and call FOR_EACH with (int) FOR_EACH.invokeExact(xs, n, stub).
        // Then, once C has returned: if fn threw, throw that same exception here.
    }

    /** Hands fn to C, which calls it on every later fire(x); replaces the function registered before. */
    public static synchronized void register(IntConsumer fn) {
        Guard guard = new Guard(fn);
        // TODO 3: C keeps this stub's address after register_cb returns. Make the stub in an
        // arena that stays open until C holds another stub, and close the previous one then.
        // REGISTER_CB.invokeExact(stub);
    }

    /** Has C call the registered function with x; throws what that function threw. */
    public static synchronized void fire(int x) {
        // TODO 4: (int) FIRE.invokeExact(x); then throw what the registered function threw, or
        // an IllegalStateException when C found no callback (UPCALL_NO_CALLBACK).
    }

    public static void main(String[] args) {
        forEach(new int[] {1, 2, 3}, x -> System.out.println("for_each called back with " + x));
        register(x -> System.out.println("the registered function got " + x));
        fire(42);
    }
}
