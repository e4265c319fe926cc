package org.ffilab.sandbox.docker;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.ffilab.sandbox.OutputChunk;

/** Passes output on until a byte budget is spent, then drops the rest and remembers that it did. */
final class CappedOutput implements Consumer<OutputChunk> {

	private final Consumer<OutputChunk> delegate;

	private final long limit;

	private final AtomicLong seen = new AtomicLong();

	private volatile boolean overflowed;

	CappedOutput(Consumer<OutputChunk> delegate, long limit) {
		this.delegate = delegate;
		this.limit = limit;
	}

	@Override
	public void accept(OutputChunk chunk) {
		long before = this.seen.getAndAdd(chunk.data().length);
		if (before >= this.limit) {
			this.overflowed = true;
			return;
		}
		long room = this.limit - before;
		if (chunk.data().length > room) {
			this.overflowed = true;
			this.delegate.accept(new OutputChunk(chunk.stream(), Arrays.copyOf(chunk.data(), (int) room)));
			return;
		}
		this.delegate.accept(chunk);
	}

	boolean overflowed() {
		return this.overflowed;
	}

}
