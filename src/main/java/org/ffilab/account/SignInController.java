package org.ffilab.account;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The sign-in page: the password form, and a button per single sign-on provider when any is configured. */
@Controller
class SignInController {

	static final String WRONG_PASSWORD = "Wrong username or password.";

	private final ObjectProvider<ClientRegistrationRepository> singleSignOn;

	SignInController(ObjectProvider<ClientRegistrationRepository> singleSignOn) {
		this.singleSignOn = singleSignOn;
	}

	@GetMapping("/login")
	String signIn(@RequestParam(required = false) String error, HttpServletRequest request, Model model) {
		List<Provider> providers = new ArrayList<>();
		if (this.singleSignOn.getIfAvailable() instanceof Iterable<?> registrations) {
			for (Object registration : registrations) {
				if (registration instanceof ClientRegistration client) {
					providers.add(new Provider(client.getClientName(),
							"/oauth2/authorization/" + client.getRegistrationId()));
				}
			}
		}
		model.addAttribute("providers", providers);
		if (error != null) {
			model.addAttribute("signInError", explain(request.getSession(false)));
		}
		return "login";
	}

	/** Why the last sign-in failed, in words for the person who tried; Spring Security keeps the reason in the session. */
	static String explain(HttpSession session) {
		Object failure = (session != null) ? session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) : null;
		if (failure instanceof SignInThrottledException throttled) {
			return throttled.getMessage();
		}
		if (failure instanceof OAuth2AuthenticationException sso) {
			if (LabOidcUserService.REFUSED.equals(sso.getError().getErrorCode())) {
				return "Single sign-on did not work: " + sso.getError().getDescription();
			}
			// The provider's or the token's fault; the code helps whoever reads the log, not a student.
			return "Single sign-on did not work (" + sso.getError().getErrorCode()
					+ "). Try again; if it keeps failing, tell your teacher or an admin.";
		}
		return WRONG_PASSWORD;
	}

	record Provider(String name, String url) {
	}

}
