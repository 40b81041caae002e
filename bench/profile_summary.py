#!/usr/bin/env python3
"""Summarises an async-profiler collapsed wall-clock profile (threads mode) of a start-up.

  bench/profile_summary.py PROFILE [MIN_PERCENT]

Prints, for the main thread only, the share before main() and the start-up phases (see NAMED) that hold
MIN_PERCENT (default 3) or more of it, each counted once per sample (inclusive time), largest first; 5 ms samples.
"""
import collections
import re
import sys

MAIN_THREAD = re.compile(r"^\[(main|DestroyJavaVM) tid=")
# Frames worth naming: the start-up phases, the persistence stack's own work, and the JVM's waits inside class
# initialisation. Spring's bean-factory plumbing, which sits under nearly everything, is left out.
NAMED = re.compile(
    r"^(org/springframework/boot/SpringApplication\.(prepareEnvironment|refreshContext)"
    r"|org/springframework/context/annotation/ConfigurationClassPostProcessor\.processConfigBeanDefinitions"
    r"|org/springframework/context/support/AbstractApplicationContext\.finishBeanFactoryInitialization"
    r"|org/springframework/boot/web/server/servlet/context/ServletWebServerApplicationContext\.createWebServer"
    r"|org/springframework/orm/jpa/LocalContainerEntityManagerFactoryBean\.afterPropertiesSet"
    r"|org/springframework/data/jpa/repository/support/JpaRepositoryFactoryBean\.afterPropertiesSet"
    r"|org/springframework/data/jpa/repository/query/JpaQueryEnhancer\.parse"
    r"|org/springframework/boot/flyway/autoconfigure/FlywayMigrationInitializer\.afterPropertiesSet"
    r"|org/apache/catalina/startup/Tomcat\.start"
    r"|com/zaxxer/hikari/HikariDataSource\.getConnection"
    r"|sun/reflect/annotation/AnnotationParser\.parseAnnotations"
    r"|InstanceKlass::initialize_impl|CompilationPolicy::replay_training_at_init|PlatformMonitor::wait)$")


def main():
    path = sys.argv[1]
    min_percent = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    inclusive = collections.Counter()
    total = before_main = 0
    with open(path) as profile:
        for line in profile:
            stack, count = line.rsplit(" ", 1)
            frames = stack.split(";")
            if not MAIN_THREAD.match(frames[0]):
                continue
            samples = int(count)
            total += samples
            if not any(f.endswith(".main") for f in frames[1:]):
                before_main += samples
            for frame in set(frames[1:]):
                if NAMED.match(frame):
                    inclusive[frame] += samples
    if total == 0:
        sys.exit(f"{path}: no samples of the main thread")
    print(f"main thread: {total} samples; before main(): {100 * before_main / total:.0f} %")
    for frame, samples in inclusive.most_common():
        percent = 100 * samples / total
        if percent < min_percent:
            break
        print(f"{percent:5.1f} %  {frame}")


if __name__ == "__main__":
    main()
