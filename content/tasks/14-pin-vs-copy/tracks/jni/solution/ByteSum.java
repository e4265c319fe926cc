/** Task 14, JNI track: hand a large byte[] to C, by copy and by pinning. */
public final class ByteSum {

    static {
        System.loadLibrary("bytesum_jni");
    }

    /** The sum of the bytes (as unsigned 0..255), through GetByteArrayElements (may copy). */
    public static native long sumElements(byte[] data);

    /** The same sum, through GetPrimitiveArrayCritical (pins the array while C reads it). */
    public static native long sumCritical(byte[] data);

    public static void main(String[] args) {
        byte[] data = new byte[64 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        for (int round = 1; round <= 3; round++) {
            long t0 = System.nanoTime();
            long copied = sumElements(data);
            long t1 = System.nanoTime();
            long pinned = sumCritical(data);
            long t2 = System.nanoTime();
            System.out.printf("round %d: sumElements = %d in %d ms, sumCritical = %d in %d ms%n",
                    round, copied, (t1 - t0) / 1_000_000, pinned, (t2 - t1) / 1_000_000);
        }
    }
}
