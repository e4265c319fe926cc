package org.ffilab.classroom;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTests {

	@Test
	void plainCellsStayAsTheyAre() {
		assertThat(Csv.row(List.of("ada", "Ada Lovelace", "passed"))).isEqualTo("ada,Ada Lovelace,passed\r\n");
		assertThat(Csv.cell(null)).isEmpty();
	}

	@Test
	void commasQuotesAndLineBreaksAreQuoted() {
		assertThat(Csv.cell("Lovelace, Ada")).isEqualTo("\"Lovelace, Ada\"");
		assertThat(Csv.cell("Ada \"the first\"")).isEqualTo("\"Ada \"\"the first\"\"\"");
		assertThat(Csv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
		assertThat(Csv.cell("cr\rhere")).isEqualTo("\"cr\rhere\"");
	}

	@Test
	void cellsASpreadsheetWouldRunAsAFormulaGetAnApostrophe() {
		assertThat(Csv.cell("=HYPERLINK(\"http://evil\",\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
		assertThat(Csv.cell("+1")).isEqualTo("'+1");
		assertThat(Csv.cell("-2+3")).isEqualTo("'-2+3");
		assertThat(Csv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
		assertThat(Csv.cell("\t=1")).isEqualTo("'\t=1");
		assertThat(Csv.cell("a=b")).as("only a leading sign counts").isEqualTo("a=b");
	}

	@Test
	void whatIsWrittenReadsBackTheSame() {
		List<String> cells = List.of("o'neil", "Lovelace, \"Ada\"", "two\r\nlines", "", "ü ✓");
		List<Csv.Record> records = Csv.parse(Csv.row(cells) + Csv.row(List.of("next")));
		assertThat(records).hasSize(2);
		assertThat(records.get(0).cells()).isEqualTo(cells);
		assertThat(records.get(0).line()).isEqualTo(1);
		assertThat(records.get(1).line()).as("the quoted line break counts").isEqualTo(3);
	}

	@Test
	void parsingSkipsBlankLinesAndTheByteOrderMarkAndKeepsLineNumbers() {
		List<Csv.Record> records = Csv.parse("\uFEFFusername,name\n\nada,Ada\r\n  \nbob,Bob");
		assertThat(records).extracting(Csv.Record::line).containsExactly(1, 3, 5);
		assertThat(records.get(0).cells()).containsExactly("username", "name");
		assertThat(records.get(2).cells()).containsExactly("bob", "Bob");
	}

	@Test
	void semicolonsAndTabsAreTakenAsSeparatorsWhenTheFirstLineUsesThem() {
		assertThat(Csv.parse("ada;Lovelace, Ada;student\n").get(0).cells()).containsExactly("ada", "Lovelace, Ada",
				"student");
		assertThat(Csv.parse("ada\tAda\tstudent").get(0).cells()).containsExactly("ada", "Ada", "student");
	}

	@Test
	void emptyTrailingCellsAreKept() {
		assertThat(Csv.parse("ada,Ada,student,,\n").get(0).cells()).containsExactly("ada", "Ada", "student", "", "");
	}

}
