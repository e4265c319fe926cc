package org.ffilab;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package boundaries of docs/architecture.md, enforced. */
class ArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("org.ffilab");

	@Test
	void onlyTheDockerSandboxUsesDockerJava() {
		noClasses().that()
			.resideOutsideOfPackage("org.ffilab.sandbox.docker..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("com.github.dockerjava..")
			.check(this.classes);
	}

	@Test
	void onlyTheTaskCatalogUsesFlexmark() {
		noClasses().that()
			.resideOutsideOfPackage("org.ffilab.task..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("com.vladsch.flexmark..")
			.check(this.classes);
	}

	@Test
	void sandboxKnowsNothingOfRunsOrGrading() {
		noClasses().that()
			.resideInAPackage("org.ffilab.sandbox..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.ffilab.run..", "org.ffilab.grading..", "org.ffilab.task..")
			.check(this.classes);
	}

	@Test
	void accountsKnowNothingOfClassesRunsOrTheWebSecurityRules() {
		noClasses().that()
			.resideInAPackage("org.ffilab.account..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.ffilab.classroom..", "org.ffilab.run..", "org.ffilab.security..")
			.check(this.classes);
	}

	@Test
	void runsAskWorkAccessAndNeverTheClassroomOrTheSecurityRules() {
		noClasses().that()
			.resideInAnyPackage("org.ffilab.run..", "org.ffilab.grading..", "org.ffilab.task..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.ffilab.classroom..", "org.ffilab.security..")
			.check(this.classes);
	}

	@Test
	void metersAreRecordedOnlyByTheMetricsClasses() {
		noClasses().that()
			.haveSimpleNameNotEndingWith("Metrics")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.micrometer..")
			.because("each concern's meters live in one small class (run.RunMetrics, run.WebSocketMetrics, "
					+ "system.SandboxMetrics) instead of registry calls spread through the code")
			.check(this.classes);
	}

	@Test
	void studentWorkIsReachedOnlyThroughTheInterfacesOfTheTaskPages() {
		noClasses().that()
			.resideInAnyPackage("org.ffilab.task..", "org.ffilab.run..", "org.ffilab.grading..", "org.ffilab.sandbox..",
					"org.ffilab.account..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.ffilab.studentwork..")
			.check(this.classes);
	}

	@Test
	void studentWorkKnowsNothingOfClassesOrTheWebSecurityRules() {
		noClasses().that()
			.resideInAPackage("org.ffilab.studentwork..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.ffilab.classroom..", "org.ffilab.security..")
			.check(this.classes);
	}

	@Test
	void featurePackagesDependOnEachOtherWithoutCycles() {
		slices().matching("org.ffilab.(*)..").should().beFreeOfCycles().check(this.classes);
	}

}
