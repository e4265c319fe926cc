package org.ffilab.classroom;

import java.security.SecureRandom;
import java.util.Locale;

/** Join codes: short enough to read out in a lecture hall, without letters that look alike (0/O, 1/I/L). */
final class JoinCodes {

	private static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

	static final int LENGTH = 8;

	private static final SecureRandom RANDOM = new SecureRandom();

	private JoinCodes() {
	}

	static String next() {
		StringBuilder code = new StringBuilder(LENGTH);
		for (int i = 0; i < LENGTH; i++) {
			code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return code.toString();
	}

	/** The stored form of a typed code: spaces and dashes dropped, uppercase. */
	static String normalize(String typed) {
		return (typed != null) ? typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT) : "";
	}

}
