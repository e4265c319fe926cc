package org.ffilab.account;

import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The signed-in person's own account: who they are, and a new password in exchange for the current one. */
@Controller
class AccountController {

	private final Accounts accounts;

	private final AccountSessions sessions;

	private final SignInThrottle throttle;

	AccountController(Accounts accounts, AccountSessions sessions, SignInThrottle throttle) {
		this.accounts = accounts;
		this.sessions = sessions;
		this.throttle = throttle;
	}

	@GetMapping("/account")
	String show(LabUser user, Model model) {
		model.addAttribute("hasPassword", this.accounts.hasPassword(user.id()));
		model.addAttribute("minPasswordLength", Accounts.MIN_PASSWORD_LENGTH);
		return "account";
	}

	@PostMapping("/account/password")
	String changePassword(LabUser user, @RequestParam String currentPassword, @RequestParam String newPassword,
			@RequestParam String repeatPassword, HttpServletRequest request, RedirectAttributes redirect) {
		// The current password is a password guess like any other: a borrowed session must not get unlimited tries.
		Optional<Duration> locked = this.throttle.lockedFor(user.username());
		if (locked.isPresent()) {
			redirect.addFlashAttribute("error", SignInThrottledException.message(locked.get()));
			return "redirect:/account";
		}
		try {
			if (!newPassword.equals(repeatPassword)) {
				throw new AccountException("The two new passwords differ.");
			}
			this.accounts.changePassword(user.id(), currentPassword, newPassword);
			this.throttle.reset(user.username());
			// Whoever knew the old password is signed out; this browser stays, under a new session id.
			int ended = this.sessions.signOut(user, request.getSession().getId());
			request.changeSessionId();
			redirect.addFlashAttribute("message", "Your password is changed."
					+ ((ended > 0) ? " You were signed out everywhere else." : ""));
		}
		catch (WrongPasswordException ex) {
			this.throttle.failed(user.username());
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		catch (AccountException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/account";
	}

}
