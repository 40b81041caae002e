# syntax=docker/dockerfile:1

# Build stage: the project's own Maven wrapper on a full JDK 17.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN chmod +x mvnw
COPY src src
# The cache mount keeps the Maven repository between builds. Tests run in CI (.ci/run), not here.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q package -DskipTests \
 && cp target/fun-ai-studio-deploy-*.jar /src/app.jar

# Runtime stage: JRE 17 only, run as a non-root user.
FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system deploy \
 && useradd --system --gid deploy --home-dir /app --shell /usr/sbin/nologin deploy
WORKDIR /app
COPY --from=build /src/app.jar /tmp/app.jar
# Extracted jar plus an AppCDS archive from a training start (stopped once the context is refreshed, before
# any port opens or any database is needed): classes then load from the archive, which roughly halves start-up.
# The archive must come from this image's JVM, so it is made here, not in the build stage.
RUN java -Djarmode=tools -jar /tmp/app.jar extract --destination /app \
 && rm /tmp/app.jar \
 && cd /app \
 && java -XX:ArchiveClassesAtExit=/app/app.jsa -Dspring.context.exit=onRefresh -jar /app/app.jar \
      --deploy.admin.token=training --deploy.runtime-node-registry.shared-secret=training \
      --deploy.internal-api.shared-secret=training

# Secrets come from the environment at run time; none is baked into the image:
#   DEPLOY_ADMIN_TOKEN      X-Admin-Token      (deploy.admin.token)
#   DEPLOY_NODE_SECRET      X-RT-Node-Token    (deploy.runtime-node-registry.shared-secret)
#   DEPLOY_INTERNAL_SECRET  X-Deploy-Secret    (deploy.internal-api.shared-secret)
# Under the prod profile the service refuses to start while any of them is missing.
# Persistence: DEPLOY_RUNTIME_PERSISTENCE_ENABLED=true plus SPRING_DATASOURCE_URL,
# SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD.
ENV PORT=7002 \
    SPRING_PROFILES_ACTIVE=prod \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

USER deploy
EXPOSE 7002

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/actuator/health/liveness" || exit 1

# java runs as PID 1 and receives SIGTERM directly; shutdown is graceful (up to 20 s).
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/app.jsa", "-jar", "/app/app.jar"]
