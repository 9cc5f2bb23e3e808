# The operator image: the jar built by `make build` (operator/target/ecs-bridge.jar) on a Java 17 JRE.
# No build happens in here: `make docker-image` builds the jar first, then this image (`make image` builds the
# image with Jib instead, without Docker: README "Container image").
#   make docker-image                             # docker build -t ecs-bridge:dev .
#   docker build --build-arg BASE_IMAGE=eclipse-temurin:17-jre-noble@sha256:<digest> .   # pin by digest
ARG BASE_IMAGE=eclipse-temurin:17-jre-noble
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.title="ecs-bridge" \
      org.opencontainers.image.description="Kubernetes operator for Amazon ECS and Amazon ECR" \
      org.opencontainers.image.licenses="Apache-2.0"

# Owned by root and read-only for the operator's user; nothing is written outside /tmp (an emptyDir in the chart).
COPY operator/target/ecs-bridge.jar /opt/ecs-bridge/ecs-bridge.jar

# Container-aware heap: a share of the cgroup memory limit; the serial collector with an 8 MiB young generation, a heap
# that starts at 24 MiB (no full collections while the start grows it) and an old generation kept 10 to 20% free after
# a full collection, and C1 alone (docs/operations.md, "Footprint levers"); exit (and get restarted) on
# OutOfMemoryError; reflection on the JVM's native accessors for a method's first million calls (no accessor classes
# generated at start).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -Xmn8m -XX:InitialHeapSize=24m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:TieredStopAtLevel=1 -XX:TrimNativeHeapInterval=15000 -XX:+ExitOnOutOfMemoryError -Dsun.reflect.inflationThreshold=1000000"

# glibc frees an ended thread's stack instead of caching it (some 24 KiB of each stays resident otherwise: about 1 MiB
# of the idle RSS); glibc 2.34 or later reads it, older ones ignore it.
ENV GLIBC_TUNABLES="glibc.pthread.stack_cache_size=0"

# A numeric non-root user (no entry in /etc/passwd needed), so runAsNonRoot can verify it.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/ecs-bridge/ecs-bridge.jar"]
