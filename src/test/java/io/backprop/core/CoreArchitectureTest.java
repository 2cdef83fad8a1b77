package io.backprop.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine stays a plain library: no Spring, JPA, servlet or other framework types. */
class CoreArchitectureTest {

    @Test
    void coreDependsOnlyOnTheJdkAndEjml() {
        JavaClasses core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.backprop.core");

        classes().that().resideInAPackage("io.backprop.core..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.backprop.core..", "java..", "jdk.incubator.vector..", "org.ejml..",
                        // the JDK's own HotSpot flags, read to choose the GEMM kernel
                        "com.sun.management..")
                .because("the core must not know Spring, JPA or HTTP")
                .check(core);
    }
}
