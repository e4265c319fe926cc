package org.ffilab.account;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Admins see every account and create teachers (and other admins) with a first password. */
@Controller
class AdminUsersController {

	private final Accounts accounts;

	AdminUsersController(Accounts accounts) {
		this.accounts = accounts;
	}

	@GetMapping("/admin/users")
	String list(Model model) {
		model.addAttribute("users", this.accounts.all());
		model.addAttribute("roles", Role.values());
		return "admin-users";
	}

	@PostMapping("/admin/users")
	String create(@RequestParam String username, @RequestParam(required = false) String displayName,
			@RequestParam String password, @RequestParam Role role, RedirectAttributes redirect) {
		try {
			LabUser created = this.accounts.create(username, displayName, password, role);
			redirect.addFlashAttribute("message", "Created " + created.username() + " (" + created.role() + ").");
		}
		catch (AccountException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/admin/users";
	}

}
