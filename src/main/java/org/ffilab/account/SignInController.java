package org.ffilab.account;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page: the password form, and a button per single sign-on provider when any is configured. */
@Controller
class SignInController {

	private final ObjectProvider<ClientRegistrationRepository> singleSignOn;

	SignInController(ObjectProvider<ClientRegistrationRepository> singleSignOn) {
		this.singleSignOn = singleSignOn;
	}

	@GetMapping("/login")
	String signIn(Model model) {
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
		return "login";
	}

	record Provider(String name, String url) {
	}

}
