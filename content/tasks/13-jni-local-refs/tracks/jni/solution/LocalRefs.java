/** Task 13, JNI track: native loops that create a Java object per iteration. */
public final class LocalRefs {

    static {
        System.loadLibrary("localrefs_jni");
    }

    /**
     * Returns the sum of Reading.of(i).value() for i = 0 .. n - 1, computed in C; deletes each
     * iteration's local reference with DeleteLocalRef.
     */
    public static native long sumWithDelete(int n);

    /** The same sum; each iteration runs inside its own PushLocalFrame / PopLocalFrame. */
    public static native long sumWithFrame(int n);

    public static void main(String[] args) {
        int n = 100_000;
        System.out.println("sumWithDelete(" + n + ") = " + sumWithDelete(n));
        System.out.println("sumWithFrame(" + n + ")  = " + sumWithFrame(n));
        System.out.println("expected          = " + (long) n * n);
    }
}
