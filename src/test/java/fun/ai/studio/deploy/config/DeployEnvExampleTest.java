package fun.ai.studio.deploy.config;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code deploy/deploy.env.example} honest: it names only variables the application binds, and it names
 * every {@code deploy.*} setting the application has.
 */
class DeployEnvExampleTest {

    private static final Path EXAMPLE = Path.of("deploy", "deploy.env.example");

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    /** {@code NAME=value}, set or commented out as {@code # NAME=value}. */
    private static final Pattern VARIABLE_LINE = Pattern.compile("^#?\\s*([A-Z][A-Z0-9_]*)=");

    /** {@code ${NAME} or ${NAME:default}} in a value of application.properties. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static List<String> exampleVariables;

    /** Property name → the variable its value in application.properties is read from, e.g. server.port → PORT. */
    private static Map<String, String> placeholders;

    @BeforeAll
    static void readTheExampleAndApplicationProperties() throws IOException, URISyntaxException {
        exampleVariables = new ArrayList<>();
        for (String line : Files.readAllLines(EXAMPLE, StandardCharsets.UTF_8)) {
            Matcher matcher = VARIABLE_LINE.matcher(line);
            if (matcher.find()) {
                exampleVariables.add(matcher.group(1));
            }
        }
        placeholders = new LinkedHashMap<>();
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(ownClassesRoot().resolve("application.properties"))) {
            properties.load(reader);
        }
        for (String name : properties.stringPropertyNames()) {
            Matcher matcher = PLACEHOLDER.matcher(properties.getProperty(name));
            while (matcher.find()) {
                placeholders.put(name, matcher.group(1));
            }
        }
    }

    @Test
    void theExampleNamesVariables() {
        assertThat(exampleVariables).as("variables in %s", EXAMPLE).isNotEmpty();
    }

    @Test
    void everyVariableInTheExampleIsOneTheApplicationBinds() throws IOException {
        Set<String> bound = new TreeSet<>(placeholders.values());
        for (String property : metadataProperties(Collections.list(
                DeployEnvExampleTest.class.getClassLoader().getResources(METADATA)))) {
            bound.add(environmentForm(property));
        }

        List<String> unbound = exampleVariables.stream().filter(name -> !bound.contains(name)).toList();

        assertThat(unbound)
                .as("variables in %s that are neither a ${NAME} placeholder in application.properties nor the "
                        + "environment form of a property in any %s on the class path", EXAMPLE, METADATA)
                .isEmpty();
    }

    @Test
    void everyDeploySettingOfTheApplicationIsInTheExample() throws IOException, URISyntaxException {
        List<String> deployProperties = metadataProperties(List.of(ownClassesRoot().resolve(METADATA).toUri().toURL()))
                .stream().filter(name -> name.startsWith("deploy.")).toList();
        assertThat(deployProperties).as("deploy.* properties in our own %s", METADATA).isNotEmpty();

        List<String> missing = deployProperties.stream()
                .filter(property -> !exampleVariables.contains(environmentForm(property))
                        && !exampleVariables.contains(placeholders.get(property)))
                .map(property -> property + " (" + placeholders.getOrDefault(property, environmentForm(property)) + ")")
                .toList();

        assertThat(missing).as("deploy.* properties not named in %s", EXAMPLE).isEmpty();
    }

    @Test
    void noVariableIsNamedTwice() {
        List<String> twice = exampleVariables.stream()
                .filter(name -> Collections.frequency(exampleVariables, name) > 1).distinct().toList();

        assertThat(twice).as("variables named more than once in %s", EXAMPLE).isEmpty();
    }

    /** Spring Boot's canonical environment variable for a property: upper case, '.' → '_', '-' dropped. */
    static String environmentForm(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", "");
    }

    private static List<String> metadataProperties(List<URL> files) throws IOException {
        List<String> names = new ArrayList<>();
        for (URL file : files) {
            try (InputStream in = file.openStream()) {
                JsonNode properties = JSON.readTree(in).path("properties");
                for (JsonNode property : properties) {
                    names.add(property.path("name").asString());
                }
            }
        }
        return names;
    }

    /** target/classes: where this module's application.properties and generated metadata are. */
    private static Path ownClassesRoot() throws URISyntaxException {
        URI location = RuntimeProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI();
        return Path.of(location);
    }
}
