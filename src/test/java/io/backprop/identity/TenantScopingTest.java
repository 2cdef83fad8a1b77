package io.backprop.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import fixtures.leaky.LeakyRepository;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;
import org.springframework.data.repository.Repository;

/**
 * Tenant scoping lives in the repositories: every query method of a repository whose entity has a
 * {@code tenantId} takes the tenant (its name says so) or is marked {@link AcrossTenants} with a reason,
 * and no one calls the unscoped methods such a repository inherits from Spring Data (findById,
 * findAll, ...). Writes of an entity already loaded within its tenant (save, delete) are allowed.
 */
class TenantScopingTest {

    private static final Set<String> WRITES = Set.of("save", "saveAndFlush", "saveAll", "saveAllAndFlush", "delete", "flush");

    static List<String> violations(JavaClasses classes) {
        List<String> found = new ArrayList<>();
        List<Class<?>> owned = new ArrayList<>();
        for (JavaClass c : classes) {
            if (!c.isInterface() || !c.isAssignableTo(Repository.class)) {
                continue;
            }
            Class<?> repository = c.reflect();
            Class<?> entity = ResolvableType.forClass(repository).as(Repository.class).getGeneric(0).resolve();
            if (entity == null || Arrays.stream(entity.getDeclaredFields()).noneMatch(f -> f.getName().equals("tenantId"))) {
                continue;
            }
            owned.add(repository);
            for (Method m : repository.getDeclaredMethods()) {
                if (!m.isSynthetic() && !m.getName().contains("Tenant") && !m.isAnnotationPresent(AcrossTenants.class)
                        && !WRITES.contains(m.getName())) {
                    found.add(repository.getSimpleName() + "." + m.getName() + " takes no tenant and is not @AcrossTenants");
                }
            }
        }
        for (Class<?> repository : owned) {
            Set<String> declared = Arrays.stream(repository.getDeclaredMethods()).map(Method::getName).collect(Collectors.toSet());
            List<JavaMethodCall> calls = classes.stream().flatMap(c -> c.getMethodCallsFromSelf().stream())
                    .filter(call -> call.getTargetOwner().isEquivalentTo(repository)).toList();
            for (JavaMethodCall call : calls) {
                String name = call.getTarget().getName();
                if (!declared.contains(name) && !WRITES.contains(name) && !call.getOriginOwner().isEquivalentTo(repository)) {
                    found.add(call.getOriginOwner().getSimpleName() + " calls the unscoped " + repository.getSimpleName()
                            + "." + name + " (" + call.getSourceCodeLocation() + ")");
                }
            }
        }
        return found;
    }

    @Test
    void everyRepositoryOfTenantDataIsScopedOrSaysWhyNot() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.backprop");
        assertThat(violations(classes)).isEmpty();
    }

    @Test
    void theRuleCatchesAnUnscopedMethodAndAnUnscopedCall() {
        JavaClasses fixture = new ClassFileImporter().importPackages("fixtures.leaky");
        assertThat(violations(fixture)).containsExactlyInAnyOrder(
                "LeakyRepository.findByName takes no tenant and is not @AcrossTenants",
                "Caller calls the unscoped LeakyRepository.findById ("
                        + fixture.get(LeakyRepository.Caller.class).getMethodCallsFromSelf().iterator().next().getSourceCodeLocation() + ")");
    }
}
