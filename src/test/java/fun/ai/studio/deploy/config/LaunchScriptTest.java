package fun.ai.studio.deploy.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/launch.sh} starts the service in the Docker image, under systemd and in bench/: these tests run
 * it against a stand-in {@code java} that prints the arguments it was given, so what each Java version and
 * persistence mode gets is checked without starting a JVM.
 */
class LaunchScriptTest {

    @TempDir
    Path home;

    @BeforeEach
    void layOutAnExtractedJar() throws IOException {
        Files.copy(Path.of("deploy", "launch.sh"), home.resolve("launch.sh"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(Path.of("deploy", "jvm.options"), home.resolve("jvm.options"));
        Files.writeString(home.resolve("app.jar"), "");
        Files.createDirectories(home.resolve("aot"));
        Files.writeString(home.resolve("aot/memory.aot"), "");
        Files.writeString(home.resolve("aot/mysql.aot"), "");
    }

    @Test
    void onJava25TheMemoryModeGetsItsCacheAndCompactHeadersAfterTheOptionsFile() throws Exception {
        Result result = launch(java("25.0.3"), Map.of(), "--server.port=7002");

        assertThat(result.exit).isZero();
        assertThat(result.args).containsExactly("@" + home.resolve("jvm.options"), "-XX:+UseCompactObjectHeaders",
                "-XX:AOTCache=" + home.resolve("aot/memory.aot"), "-jar", home.resolve("app.jar").toString(),
                "--server.port=7002");
    }

    @Test
    void persistenceFromTheEnvironmentOrAnArgumentPicksTheMysqlCache() throws Exception {
        Result fromEnv = launch(java("25"), Map.of("DEPLOY_RUNTIME_PERSISTENCE_ENABLED", "true"));
        Result fromArg = launch(java("25"), Map.of(), "--deploy.runtime.persistence.enabled=true");
        Result argWins = launch(java("25"), Map.of("DEPLOY_RUNTIME_PERSISTENCE_ENABLED", "true"),
                "--deploy.runtime.persistence.enabled=false");

        assertThat(fromEnv.args).contains("-XX:AOTCache=" + home.resolve("aot/mysql.aot"));
        assertThat(fromArg.args).contains("-XX:AOTCache=" + home.resolve("aot/mysql.aot"));
        assertThat(argWins.args).contains("-XX:AOTCache=" + home.resolve("aot/memory.aot"));
    }

    @Test
    void javaOptsComeAfterTheOptionsFileSoTheyOverrideIt() throws Exception {
        Result result = launch(java("25"), Map.of("JAVA_OPTS", "-Xmx512m -Dx=y"));

        assertThat(result.args.subList(0, 3)).containsExactly("@" + home.resolve("jvm.options"), "-Xmx512m", "-Dx=y");
    }

    @Test
    void withoutACacheOrOnJava17NoJava25OptionIsPassed() throws Exception {
        Result java17 = launch(java("17.0.15"), Map.of());
        Files.delete(home.resolve("aot/memory.aot"));
        Result noCache = launch(java("25"), Map.of());

        assertThat(java17.args).containsExactly("@" + home.resolve("jvm.options"), "-jar",
                home.resolve("app.jar").toString());
        assertThat(noCache.args).doesNotContain("-XX:AOTCache=" + home.resolve("aot/memory.aot"))
                .contains("-XX:+UseCompactObjectHeaders");
    }

    @Test
    void trainingOnJava17IsRefusedAndWritesNothing() throws Exception {
        Files.delete(home.resolve("aot/memory.aot"));
        Files.delete(home.resolve("aot/mysql.aot"));

        Result result = launch(java("17.0.15"), Map.of(), "train");

        assertThat(result.exit).isEqualTo(2);
        assertThat(result.stderr).contains("launch.sh train needs Java 25 or later").contains("Java 17");
        assertThat(result.args).isEmpty();
        try (var files = Files.list(home.resolve("aot"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void trainingOnJava25WritesOneCachePerModeWithTheRunningFlags() throws Exception {
        Result result = launch(java("25"), Map.of(), "train");

        assertThat(result.exit).isZero();
        assertThat(result.stdout).contains("trained " + home.resolve("aot/memory.aot"))
                .contains("trained " + home.resolve("aot/mysql.aot"));
        // The stand-in prints both training runs' arguments one after the other.
        assertThat(result.args).contains("-XX:AOTCacheOutput=" + home.resolve("aot/memory.aot"),
                "-XX:AOTCacheOutput=" + home.resolve("aot/mysql.aot"), "--deploy.runtime.persistence.enabled=true",
                "-Dspring.context.exit=onRefresh");
        assertThat(result.args.subList(0, 2)).containsExactly("@" + home.resolve("jvm.options"),
                "-XX:+UseCompactObjectHeaders");
    }

    /** A JDK whose release file names {@code version} and whose java prints one argument a line to args.txt. */
    private Path java(String version) throws IOException {
        Path jdk = home.resolve("jdk-" + version);
        Files.createDirectories(jdk.resolve("bin"));
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = jdk.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> \"" + home.resolve("args.txt")
                + "\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    private Result launch(Path java, Map<String, String> env, String... args) throws Exception {
        Files.deleteIfExists(home.resolve("args.txt"));
        List<String> command = new ArrayList<>(List.of("/bin/sh", home.resolve("launch.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(Set.of("DEPLOY_RUNTIME_PERSISTENCE_ENABLED", "JAVA_OPTS",
                "DEPLOY_HOME")::contains);
        builder.environment().put("JAVA", java.toString());
        builder.environment().putAll(env);
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("launch.sh finished").isTrue();
        Path argsFile = home.resolve("args.txt");
        List<String> passed = Files.exists(argsFile) ? Files.readAllLines(argsFile, StandardCharsets.UTF_8) : List.of();
        return new Result(process.exitValue(), passed, Files.readString(out), Files.readString(err));
    }

    private record Result(int exit, List<String> args, String stdout, String stderr) {
    }
}
