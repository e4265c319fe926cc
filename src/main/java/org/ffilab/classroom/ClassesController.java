package org.ffilab.classroom;

import java.util.List;

import org.ffilab.account.AccountException;
import org.ffilab.account.Accounts;
import org.ffilab.account.LabUser;
import org.ffilab.account.Role;

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

	/** The dashboard: the page is a frame, its script loads the data and follows the class's live topic. */
	@GetMapping("/classes/{id}")
	String show(@PathVariable long id, LabUser user, Model model) {
		Classroom classroom = taught(id, user);
		List<LabUser> teachers = this.classrooms.teacherIds(id)
			.stream()
			.flatMap((teacherId) -> this.accounts.find(teacherId).stream())
			.toList();
		model.addAttribute("classroom", classroom);
		model.addAttribute("teachers", teachers);
		return "class";
	}

	/** An admin makes an existing teacher a co-teacher of the class (under /admin/**: admins only). */
	@PostMapping("/admin/classes/{id}/teachers")
	String addTeacher(@PathVariable long id, @RequestParam String username, LabUser admin,
			RedirectAttributes redirect) {
		Classroom classroom = taught(id, admin);
		LabUser teacher = this.accounts.findByUsername(username).orElse(null);
		if (teacher == null || teacher.role() != Role.TEACHER) {
			redirect.addFlashAttribute("error", "There is no teacher with the username " + Accounts.normalize(username)
					+ ". Create the account on the Users page first.");
		}
		else {
			this.classrooms.addTeacher(classroom.id(), teacher.id());
			redirect.addFlashAttribute("message", teacher.displayName() + " now teaches " + classroom.name() + ".");
		}
		return "redirect:/classes/" + classroom.id();
	}

	/** The class, if the user teaches it; otherwise 404, so class ids cannot be probed. */
	private Classroom taught(long id, LabUser user) {
		return this.classrooms.findTaught(id, user)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no class " + id));
	}

}
