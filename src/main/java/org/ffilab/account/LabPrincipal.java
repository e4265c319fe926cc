package org.ffilab.account;

/** Implemented by every principal the lab signs in (password and single sign-on), to find the lab user. */
public interface LabPrincipal {

	LabUser labUser();

}
