package org.ffilab.classroom;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ffilab.account.AccountException;
import org.ffilab.account.Accounts;
import org.ffilab.account.LabUser;
import org.ffilab.account.Role;
import org.ffilab.account.SessionSignIn;

import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** A student creates their account with the join code of their class, and is signed in. */
@Controller
class SignUpController {

	private final Accounts accounts;

	private final Classrooms classrooms;

	private final SessionSignIn signIn;

	private final TransactionTemplate transaction;

	SignUpController(Accounts accounts, Classrooms classrooms, SessionSignIn signIn, TransactionTemplate transaction) {
		this.accounts = accounts;
		this.classrooms = classrooms;
		this.signIn = signIn;
		this.transaction = transaction;
	}

	@GetMapping("/signup")
	String form(@RequestParam(required = false) String code, Model model) {
		model.addAttribute("code", code);
		return "signup";
	}

	@PostMapping("/signup")
	String signUp(@RequestParam String code, @RequestParam String username,
			@RequestParam(required = false) String displayName, @RequestParam String password,
			@RequestParam String repeatPassword, Model model, HttpServletRequest request,
			HttpServletResponse response) {
		model.addAttribute("code", code);
		model.addAttribute("username", username);
		model.addAttribute("displayName", displayName);
		try {
			if (!password.equals(repeatPassword)) {
				throw new AccountException("The two passwords differ.");
			}
			Classroom classroom = this.classrooms.byJoinCode(code)
				.orElseThrow(() -> new AccountException("No class has this join code. Check it with your teacher."));
			// The account and the membership together, or neither.
			LabUser student = this.transaction.execute((status) -> {
				LabUser created = this.accounts.create(username, displayName, password, Role.STUDENT);
				this.classrooms.addStudent(classroom.id(), created.id());
				return created;
			});
			this.signIn.signIn(student, request, response);
			return "redirect:/?joined=" + classroom.id();
		}
		catch (AccountException ex) {
			model.addAttribute("error", ex.getMessage());
			return "signup";
		}
	}

}
