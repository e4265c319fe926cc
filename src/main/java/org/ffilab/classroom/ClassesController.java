package org.ffilab.classroom;

import java.util.List;

import org.ffilab.account.AccountException;
import org.ffilab.account.Accounts;
import org.ffilab.account.LabUser;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Classes: teachers create them and hand out the join code; students join more classes with a code. */
@Controller
class ClassesController {

	private final Classrooms classrooms;

	private final Accounts accounts;

	ClassesController(Classrooms classrooms, Accounts accounts) {
		this.classrooms = classrooms;
		this.accounts = accounts;
	}

	@GetMapping("/classes")
	String list(LabUser user, Model model) {
		model.addAttribute("teaching", this.classrooms.taughtBy(user));
		model.addAttribute("attending", this.classrooms.attendedBy(user));
		return "classes";
	}

	@PostMapping("/classes")
	String create(LabUser user, @RequestParam String name, RedirectAttributes redirect) {
		try {
			Classroom created = this.classrooms.create(user, name);
			return "redirect:/classes/" + created.id();
		}
		catch (AccountException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/classes";
		}
	}

	@PostMapping("/classes/join")
	String join(LabUser user, @RequestParam String code, RedirectAttributes redirect) {
		try {
			Classroom joined = this.classrooms.join(user, code);
			redirect.addFlashAttribute("message", "You joined " + joined.name() + ".");
		}
		catch (AccountException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/classes";
	}

	@GetMapping("/classes/{id}")
	String show(@PathVariable long id, LabUser user, Model model) {
		Classroom classroom = taught(id, user);
		List<LabUser> students = this.classrooms.studentIds(id)
			.stream()
			.flatMap((studentId) -> this.accounts.find(studentId).stream())
			.toList();
		model.addAttribute("classroom", classroom);
		model.addAttribute("students", students);
		return "class";
	}

	/** The class, if the user teaches it; otherwise 404, so class ids cannot be probed. */
	private Classroom taught(long id, LabUser user) {
		return this.classrooms.find(id)
			.filter((classroom) -> this.classrooms.canTeach(user, classroom.id()))
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no class " + id));
	}

}
