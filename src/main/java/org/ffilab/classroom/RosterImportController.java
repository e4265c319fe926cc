package org.ffilab.classroom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The roster upload of the Users page (under /admin/**: admins only). The answer is a page, not a redirect, so the
 * generated passwords are shown once and never stored anywhere, not even in the session.
 */
@Controller
class RosterImportController {

	private final RosterImport roster;

	RosterImportController(RosterImport roster) {
		this.roster = roster;
	}

	@PostMapping("/admin/users/import")
	String importRoster(@RequestParam(name = "roster", required = false) MultipartFile file, Model model,
			RedirectAttributes redirect) throws IOException {
		if (file == null || file.isEmpty()) {
			redirect.addFlashAttribute("error", "Choose a CSV file to import.");
			return "redirect:/admin/users";
		}
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(file.getBytes()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			redirect.addFlashAttribute("error", "The file is not UTF-8 text: save the spreadsheet as \"CSV UTF-8\".");
			return "redirect:/admin/users";
		}
		model.addAttribute("result", this.roster.importCsv(text));
		model.addAttribute("fileName", file.getOriginalFilename());
		return "roster-import";
	}

}
