# The FFI Lab app image: built from this repository in two stages (no prebuilt base but Debian's).
# Build: docker compose build app   (or: docker build --network host -t ffilab/app .)

FROM debian:trixie-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-25-jdk-headless nodejs npm ca-certificates curl unzip \
 && rm -rf /var/lib/apt/lists/*
# Extra CAs for this stage only, where a proxy intercepts TLS to Maven Central and npm (see
# docker/build-ca/README.md; empty on a normal server). The app image below never sees them.
COPY docker/build-ca/ /tmp/build-ca/
RUN sh /tmp/build-ca/install.sh && rm -rf /tmp/build-ca
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
WORKDIR /src
# Dependencies first, so a code change does not download them again.
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp -q dependency:go-offline -Dffilab.skipFrontend=true
COPY frontend/package.json frontend/package-lock.json frontend/
RUN cd frontend && npm ci --no-audit --no-fund
COPY frontend frontend
COPY src src
RUN ./mvnw -B -ntp -q package -DskipTests && cp target/ffi-lab-*.jar /src/ffi-lab.jar

FROM debian:trixie-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-25-jre-headless ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 999 --user-group --home-dir /app --shell /usr/sbin/nologin ffilab
WORKDIR /app
COPY --from=build /src/ffi-lab.jar /app/ffi-lab.jar
COPY content /app/content
ENV FFILAB_CONTENTDIR=/app/content \
    SPRING_DATASOURCE_URL=jdbc:h2:file:/app/data/ffilab
# Writable by the ffilab user too, for the H2 database of a stand-alone run (compose uses PostgreSQL).
RUN mkdir -p /app/data && chown ffilab:ffilab /app/data
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD curl -fsS http://localhost:8080/actuator/health/liveness || exit 1
# Root by default only to reach a mounted Docker socket, whose group differs per host. With the
# socket proxy (compose profile socket-proxy, docs/admin-guide.md) compose runs it as ffilab.
CMD ["java", "-XX:MaxRAMPercentage=60", "-jar", "/app/ffi-lab.jar"]
