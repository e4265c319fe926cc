public class Native {
	static { System.loadLibrary("native"); }

	static native int callTwice(Runnable r);
	static native void crash();
	static native void fromThread(Runnable r);
	static native void sum(int[] values);

	public static void main(String[] args) throws Exception {
		String what = args[0];
		System.out.println("running " + what);
		switch (what) {
			case "pending" -> System.out.println("result " + callTwice(() -> { throw new IllegalStateException("boom"); }));
			case "crash" -> crash();
			case "thread" -> { fromThread(() -> System.out.println("upcall")); Thread.sleep(500); }
			default -> throw new IllegalArgumentException(what);
		}
		System.out.println("done " + what);
	}
}
