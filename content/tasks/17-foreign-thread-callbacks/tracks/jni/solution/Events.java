/** Task 17, JNI track: a binding for the events library, whose own threads call a Java listener. */
public final class Events {

    static {
        System.loadLibrary("events_jni");
    }

    /**
     * Starts the library's threads and returns at once: 0, or -1 when the library refused (events
     * already running, or a bad argument). Later, on those threads, listener.onEvent(source, seq)
     * runs for seq = 0 .. count - 1 of each source = 0 .. threads - 1, one call at a time. If the
     * listener throws, no further events are delivered in this run.
     */
    public static native int start(EventListener listener, int threads, int count);

    /**
     * Waits until the library's threads have ended, then releases the listener. Returns true when
     * the listener threw and so ended the run early.
     */
    public static native boolean stop();

    public static void main(String[] args) {
        int[] seen = new int[4];
        int started = start((source, seq) -> seen[source]++, 4, 1000);
        boolean early = stop();
        System.out.printf("start returned %d; events per source %s; ended early: %b%n", started,
                java.util.Arrays.toString(seen), early);

        started = start((source, seq) -> {
            if (seq == 7) {
                throw new IllegalStateException("event 7 of source " + source + " is rejected");
            }
        }, 4, 1000);
        early = stop();
        System.out.printf("with a listener that throws: start returned %d; ended early: %b%n", started, early);
    }
}
