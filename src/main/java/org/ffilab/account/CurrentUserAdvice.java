package org.ffilab.account;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Puts the signed-in user (or null) in every page's model, for the header. */
@ControllerAdvice
class CurrentUserAdvice {

	@ModelAttribute("currentUser")
	LabUser currentUser() {
		return LabUser.of(SecurityContextHolder.getContext().getAuthentication()).orElse(null);
	}

}
