package io.backprop;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The features as Spring Modulith modules: no cycles, and each depends only on the modules its
 * {@code package-info.java} allows (written down there, shown in the README's Layout).
 */
class ModularityTest {

    @Test
    void everyModuleDependsOnlyOnWhatItsPackageInfoAllows() {
        ApplicationModules.of(BackpropApplication.class).verify();
    }
}
