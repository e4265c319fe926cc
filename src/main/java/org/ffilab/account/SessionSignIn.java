package org.ffilab.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/** Signs a person in right after they created their account, as if they had used the sign-in form. */
@Component
public class SessionSignIn {

	private final SecurityContextRepository contexts;

	SessionSignIn(SecurityContextRepository contexts) {
		this.contexts = contexts;
	}

	public void signIn(LabUser user, HttpServletRequest request, HttpServletResponse response) {
		PasswordPrincipal principal = new PasswordPrincipal(user, null);
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal, null,
				principal.getAuthorities()));
		// A new session id on sign-in, so a session id planted before cannot ride along (session fixation).
		if (request.getSession(false) != null) {
			request.changeSessionId();
		}
		SecurityContextHolder.setContext(context);
		this.contexts.saveContext(context, request, response);
	}

}
