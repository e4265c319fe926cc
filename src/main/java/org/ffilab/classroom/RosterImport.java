package org.ffilab.classroom;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ffilab.account.AccountException;
import org.ffilab.account.Accounts;
import org.ffilab.account.LabUser;
import org.ffilab.account.Role;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accounts from a roster CSV: username, display name, role, class (join code or name), optional first password.
 * Each row is imported whole (the account and its class together) or not at all, and a bad row is reported with
 * its line without stopping the others.
 */
@Service
class RosterImport {

	/** Enough for a course; a bigger file is most likely the wrong one. */
	static final int MAX_ROWS = 2000;

	static final String HEADER = "username,display name,role,class,password";

	/** Letters and digits that cannot be mistaken for each other when read off a sheet of paper. */
	private static final String PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Accounts accounts;

	private final Classrooms classrooms;

	private final TransactionTemplate transaction;

	RosterImport(Accounts accounts, Classrooms classrooms, TransactionTemplate transaction) {
		this.accounts = accounts;
		this.classrooms = classrooms;
		this.transaction = transaction;
	}

	/** An account made from a row; password is set only when the lab generated it (shown to the admin once). */
	record Imported(int line, String username, String displayName, Role role, String className,
			String generatedPassword) {
	}

	record RowError(int line, String row, String message) {
	}

	record Result(List<Imported> imported, List<RowError> errors) {

		public boolean anyGenerated() {
			return this.imported.stream().anyMatch((account) -> account.generatedPassword() != null);
		}

	}

	Result importCsv(String text) {
		List<Csv.Record> records = Csv.parse(text);
		if (!records.isEmpty() && isHeader(records.get(0))) {
			records = records.subList(1, records.size());
		}
		List<Imported> imported = new ArrayList<>();
		List<RowError> errors = new ArrayList<>();
		if (records.size() > MAX_ROWS) {
			errors.add(new RowError(0, "", "The file has " + records.size() + " rows; import at most " + MAX_ROWS
					+ " at a time."));
			return new Result(imported, errors);
		}
		for (Csv.Record record : records) {
			try {
				imported.add(importRow(record));
			}
			catch (AccountException ex) {
				errors.add(new RowError(record.line(), String.join(",", record.cells()), ex.getMessage()));
			}
		}
		return new Result(imported, errors);
	}

	private Imported importRow(Csv.Record record) {
		List<String> cells = record.cells();
		if (cells.size() < 3 || cells.size() > 5) {
			throw new AccountException("Expected " + HEADER + " (class and password may be empty), found "
					+ cells.size() + " columns.");
		}
		String username = cells.get(0).strip();
		String displayName = cells.get(1).strip();
		Role role = role(cells.get(2));
		Classroom classroom = classroom(cell(cells, 3));
		String given = cell(cells, 4);
		String password = given.isEmpty() ? generatePassword() : given;
		if (classroom == null && role == Role.STUDENT) {
			throw new AccountException("A student needs a class: give its join code or its name.");
		}
		// The account and its place in the class together, or neither.
		LabUser user = this.transaction.execute((status) -> {
			LabUser created = this.accounts.create(username, displayName, password, role);
			if (classroom != null) {
				if (role == Role.STUDENT) {
					this.classrooms.addStudent(classroom.id(), created.id());
				}
				else {
					this.classrooms.addTeacher(classroom.id(), created.id());
				}
			}
			return created;
		});
		return new Imported(record.line(), user.username(), user.displayName(), user.role(),
				(classroom != null) ? classroom.name() : null, given.isEmpty() ? password : null);
	}

	private static boolean isHeader(Csv.Record record) {
		return !record.cells().isEmpty() && record.cells().get(0).strip().equalsIgnoreCase("username");
	}

	private static String cell(List<String> cells, int index) {
		return (index < cells.size()) ? cells.get(index).strip() : "";
	}

	private static Role role(String text) {
		String name = text.strip().toUpperCase(Locale.ROOT);
		if (name.isEmpty()) {
			return Role.STUDENT;
		}
		try {
			return Role.valueOf(name);
		}
		catch (IllegalArgumentException ex) {
			throw new AccountException("The role \"" + text.strip() + "\" is none of student, teacher, admin.");
		}
	}

	/** The class a cell names: a join code first, else a class name (which must be unique); null when empty. */
	private Classroom classroom(String reference) {
		if (reference.isEmpty()) {
			return null;
		}
		var byCode = this.classrooms.byJoinCode(reference);
		if (byCode.isPresent()) {
			return byCode.get();
		}
		List<Classroom> byName = this.classrooms.findByName(reference);
		if (byName.size() > 1) {
			throw new AccountException(byName.size() + " classes are named \"" + reference
					+ "\": give the class's join code instead.");
		}
		if (byName.isEmpty()) {
			throw new AccountException("No class has the join code or name \"" + reference + "\".");
		}
		return byName.get(0);
	}

	/** 16 random characters in groups of four: about 78 bits, and easy to type from a printout. */
	static String generatePassword() {
		StringBuilder password = new StringBuilder();
		for (int i = 0; i < 16; i++) {
			if (i > 0 && i % 4 == 0) {
				password.append('-');
			}
			password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
		}
		return password.toString();
	}

}
