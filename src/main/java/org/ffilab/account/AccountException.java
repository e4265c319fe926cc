package org.ffilab.account;

/** A request about accounts that cannot be carried out; the message is meant for the person who made it. */
public class AccountException extends RuntimeException {

	public AccountException(String message) {
		super(message);
	}

}
