package fun.ai.studio.deploy.architecture;

import fun.ai.studio.deploy.DeployApplication;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.Violations;
import org.springframework.modulith.docs.Documenter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The module boundaries: no cycle between modules, and no module reaches into another's internals or depends on a
 * module its {@code package-info.java} does not allow. The module diagrams in {@code docs/} are the ones the code
 * has; {@code -Ddeploy.docs.update=true} writes them again after a change of structure.
 */
class ModularityTest {

    static final ApplicationModules MODULES = ApplicationModules.of(DeployApplication.class);
    private static final Path ARCHITECTURE = Path.of("docs/architecture.md");
    private static final Path PLANT_UML = Path.of("docs/modules/components.puml");
    private static final String BEGIN = "<!-- modules:begin (written by ModularityTest) -->";
    private static final String END = "<!-- modules:end -->";

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

    @Test
    void theModuleDiagramsInDocsAreTheCodes() throws IOException {
        Path written = Path.of("target/spring-modulith-docs");
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(written.toString()))
                .writeModulesAsPlantUml();
        String plantUml = Files.readString(written.resolve("components.puml"));
        String architecture = Files.readString(ARCHITECTURE);
        int begin = architecture.indexOf(BEGIN);
        int end = architecture.indexOf(END);
        assertThat(begin).as("%s holds the markers of the module diagram", ARCHITECTURE).isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String withDiagram = architecture.substring(0, begin + BEGIN.length()) + "\n" + mermaid()
                + architecture.substring(end);
        if (Boolean.getBoolean("deploy.docs.update")) {
            Files.createDirectories(PLANT_UML.getParent());
            Files.writeString(PLANT_UML, plantUml);
            Files.writeString(ARCHITECTURE, withDiagram);
        }
        String hint = "out of date; run ModularityTest with -Ddeploy.docs.update=true and commit the change";
        // The documenter writes the same lines in an order that varies from run to run.
        assertThat(Files.readAllLines(PLANT_UML)).as("%s is %s", PLANT_UML, hint)
                .containsExactlyInAnyOrderElementsOf(plantUml.lines().toList());
        assertThat(Files.readString(ARCHITECTURE)).as("the module diagram in %s is %s", ARCHITECTURE, hint)
                .isEqualTo(withDiagram);
    }

    /** The modules and their direct dependencies as a Mermaid graph, which renders where the docs are read. */
    private static String mermaid() {
        StringBuilder graph = new StringBuilder("```mermaid\nflowchart TD\n");
        MODULES.stream().sorted(Comparator.comparing(ApplicationModule::getName)).forEach(module -> {
            graph.append("    ").append(module.getName()).append("[\"").append(module.getDisplayName()).append("\"]\n");
            String targets = module.getDirectDependencies(MODULES).uniqueModules().map(ApplicationModule::getName)
                    .sorted().distinct().collect(Collectors.joining(" & "));
            if (!targets.isEmpty()) {
                graph.append("    ").append(module.getName()).append(" --> ").append(targets).append('\n');
            }
        });
        return graph.append("```\n").toString();
    }
}
