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

# Runtime stage: a Java 25 JRE (the jar is Java 17 bytecode; 25 brings the AOT cache and compact object headers),
# run as a non-root user.
FROM eclipse-temurin:25-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system deploy \
 && useradd --system --gid deploy --home-dir /app --shell /usr/sbin/nologin deploy
WORKDIR /app
COPY --from=build /src/app.jar /tmp/app.jar
COPY deploy/jvm.options deploy/launch.sh /app/
# The jar extracted, then one AOT cache per persistence mode from training starts (stopped once the context is
# refreshed, before any port opens or any database is needed). The caches must come from this image's JVM and
# flags, so they are made here, by the launcher that also starts the service.
RUN java -Djarmode=tools -jar /tmp/app.jar extract --destination /app --application-filename app.jar --force \
 && rm /tmp/app.jar \
 && chmod +x /app/launch.sh \
 && /app/launch.sh train

# Secrets come from the environment at run time; none is baked into the image:
#   DEPLOY_ADMIN_TOKEN      X-Admin-Token      (deploy.admin.token)
#   DEPLOY_NODE_SECRET      X-RT-Node-Token    (deploy.runtime-node-registry.shared-secret)
#   DEPLOY_INTERNAL_SECRET  X-Deploy-Secret    (deploy.internal-api.shared-secret)
# Under the prod profile the service refuses to start while any of them is missing.
# Persistence: DEPLOY_RUNTIME_PERSISTENCE_ENABLED=true plus SPRING_DATASOURCE_URL,
# SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD.
# JVM settings: /app/jvm.options, the ones bench/ measures; JAVA_OPTS overrides them (e.g. -Xmx512m).
ENV PORT=7002 \
    SPRING_PROFILES_ACTIVE=prod

USER deploy
EXPOSE 7002

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/actuator/health/liveness" || exit 1

# launch.sh execs java, so java runs as PID 1 and receives SIGTERM directly; shutdown is graceful (up to 20 s).
ENTRYPOINT ["/app/launch.sh"]
