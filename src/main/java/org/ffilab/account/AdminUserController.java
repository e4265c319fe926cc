package org.ffilab.account;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * One account, for admins: give it another role (teachers are promoted here) or a new password. Either ends the
 * person's sessions, so the change holds at once. /admin/** is for admins only (SecurityConfiguration).
 */
@Controller
class AdminUserController {

	private static final Logger log = LoggerFactory.getLogger(AdminUserController.class);

	private final Accounts accounts;

	private final AccountSessions sessions;

	private final SignInThrottle throttle;

	AdminUserController(Accounts accounts, AccountSessions sessions, SignInThrottle throttle) {
		this.accounts = accounts;
		this.sessions = sessions;
		this.throttle = throttle;
	}

	@GetMapping("/admin/users/{id}")
	String show(@PathVariable long id, Model model) {
		LabUser user = account(id);
		model.addAttribute("user", user);
		model.addAttribute("hasPassword", this.accounts.hasPassword(id));
		model.addAttribute("roles", Role.values());
		model.addAttribute("minPasswordLength", Accounts.MIN_PASSWORD_LENGTH);
		return "admin-user";
	}

	@PostMapping("/admin/users/{id}/role")
	String changeRole(@PathVariable long id, @RequestParam Role role, LabUser admin, RedirectAttributes redirect) {
		account(id);
		try {
			LabUser changed = this.accounts.changeRole(admin, id, role);
			this.sessions.signOut(changed, null);
			log.info("{} made {} {}", admin.username(), changed.username(), role);
			redirect.addFlashAttribute("message", changed.username() + " is now " + article(role) + " "
					+ role.name().toLowerCase(Locale.ROOT) + ". They were signed out and have the new role from their next sign-in.");
		}
		catch (AccountException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/admin/users/" + id;
	}

	@PostMapping("/admin/users/{id}/password")
	String resetPassword(@PathVariable long id, @RequestParam String password, LabUser admin,
			RedirectAttributes redirect) {
		LabUser user = account(id);
		try {
			if (user.id() == admin.id()) {
				throw new AccountException("Change your own password on your Account page.");
			}
			this.accounts.changePassword(id, password);
			this.throttle.reset(user.username());
			this.sessions.signOut(user, null);
			log.info("{} set a new password for {}", admin.username(), user.username());
			redirect.addFlashAttribute("message", "New password set for " + user.username()
					+ ". They were signed out everywhere; give them the password, and they can change it on their "
					+ "Account page.");
		}
		catch (AccountException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/admin/users/" + id;
	}

	private LabUser account(long id) {
		return this.accounts.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
	}

	private static String article(Role role) {
		return (role == Role.ADMIN) ? "an" : "a";
	}

}
