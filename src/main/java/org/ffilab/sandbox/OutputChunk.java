package org.ffilab.sandbox;

/** Bytes the container wrote on one of its streams, in the order they arrived. */
public record OutputChunk(Stream stream, byte[] data) {

	public enum Stream {

		STDOUT, STDERR

	}

}
