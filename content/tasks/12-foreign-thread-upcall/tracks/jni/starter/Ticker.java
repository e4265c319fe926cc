import java.util.function.IntConsumer;

/**
 * Task 12, JNI track: the ticker library calls a Java listener from a thread of its own.
 *
 * The checker compiles this file with `javac -h . Ticker.java` (which also writes Ticker.h),
 * builds libticker_jni.so from ticker_jni.c and the ticker library, and calls run with
 * listeners of its own, many times, from java with -Djava.library.path=<work folder>.
 */
public final class Ticker {

    static {
        // TODO 1: load libticker_jni.so with System.loadLibrary (it takes the short name).
    }

    /**
     * Starts the ticker library's thread, which calls listener.accept(v) for v = 0 .. count - 1,
     * and returns when that thread has ended: 0, or the library's error code.
     */
    public static native int run(int count, IntConsumer listener);

    public static void main(String[] args) {
        Thread caller = Thread.currentThread();
        int status = run(3, v -> {
            Thread self = Thread.currentThread();
            System.out.println("tick " + v + " on thread \"" + self.getName() + "\""
                    + (self == caller ? " (the caller's own thread)" : ""));
        });
        System.out.println("Ticker.run returned " + status);
    }
}
