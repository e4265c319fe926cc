import java.util.function.IntConsumer;

/** Task 12, JNI track: the ticker library calls a Java listener from a thread of its own. */
public final class Ticker {

    static {
        // Finds libticker_jni.so in java.library.path (the checker sets it to the work folder).
        System.loadLibrary("ticker_jni");
    }

    /**
     * Starts the ticker library's thread, which calls listener.accept(v) for v = 0 .. count - 1,
     * and returns when that thread has ended: 0, or the library's error code. An exception thrown
     * by the listener stops the calls and is rethrown here, on the caller's thread.
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
