package org.ffilab.account;

/** The current password given to change a password is not the account's. */
public class WrongPasswordException extends AccountException {

	WrongPasswordException() {
		super("The current password is wrong.");
	}

}
