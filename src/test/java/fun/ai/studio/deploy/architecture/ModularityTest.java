package fun.ai.studio.deploy.architecture;

import fun.ai.studio.deploy.DeployApplication;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.Violations;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The module boundaries: no cycle between modules, and no module reaches into another's internals. */
class ModularityTest {

    static final ApplicationModules MODULES = ApplicationModules.of(DeployApplication.class);

    @Test
    void modulesFormNoCycleAndUseOnlyEachOthersApi() {
        MODULES.verify();
    }

    /** Deliberately broken modules under {@code fixture}, which are test classes, so imported with them. */
    private static ApplicationModules fixture(String name) {
        return ApplicationModules.of("fun.ai.studio.deploy.architecture.fixture." + name, location -> true);
    }

    @Test
    void theCheckFailsOnACycle() {
        assertThatThrownBy(() -> fixture("cycle").verify())
                .isInstanceOf(Violations.class).hasMessageContaining("Cycle detected");
    }

    @Test
    void theCheckFailsOnAReachIntoAnotherModulesInternals() {
        assertThatThrownBy(() -> fixture("internals").verify())
                .isInstanceOf(Violations.class).hasMessageContaining("non-exposed type");
    }
}
