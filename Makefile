# ecs-bridge: the two commands that matter are `make run` and `make test`. Everything they need is set up by them.
SHELL := bash
MVN ?= mvn
MVN_FLAGS ?= -B -ntp
JAR := operator/target/ecs-bridge.jar
# the operator's version (pom.xml): the image's tag and the chart's version
VERSION := $(shell sed -n 's:^  <version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
IMAGE_TAR := operator/target/ecs-bridge-image.tar
CHART_TGZ := operator/target/ecs-bridge-$(VERSION).tgz

.PHONY: help build crds test unit-test moto-test prereqs run image image-push image-test docker-image chart deploy clean

help:
	@echo "make run    - the operator on an embedded local stack (kube-apiserver + etcd + moto), samples applied"
	@echo "make test   - the whole test suite (unit, moto extension, integration against kube-apiserver + moto), then k8s-oldest-test"
	@echo "make k8s-oldest-test - the admission and RBAC suites against the oldest supported Kubernetes minor"
	@echo "make build  - the runnable jar $(JAR)"
	@echo "make dashboard-png - docs/dashboard.png: the Grafana dashboard drawn from real /metrics scrapes (minutes)"
	@echo "make crds   - regenerate crds/ (and the Helm chart's copy), the chart's kinds.yaml and docs/iam-policy.json"
	@echo "make image  - the container image as an OCI tarball (Jib, no Docker daemon): $(IMAGE_TAR); with its class-data sharing archive, dumped in a user namespace (IMAGE_CDS=off: without)"
	@echo "make image-push REGISTRY=<registry>[/path] - the image built and pushed by Jib as REGISTRY/ecs-bridge:VERSION"
	@echo "make chart  - the Helm chart packaged as $(CHART_TGZ) (helm push it to an OCI registry, see README)"
	@echo "make docker-image - the container image $(IMAGE) with docker build (the Dockerfile)"
	@echo "make bench  - N repositories and N services on the embedded stack: converge time, AWS calls, RSS, CPU (N=100 KINDS=repositories,services)"
	@echo "make bench-ack - ACK's ecr-controller doing the same N repositories, for the side-by-side (N=100 ACK_SRC=DIR); ACK_CONTROLLER=ecs-controller: its ecs-controller doing the N services"
	@echo "make cds    - a class-data sharing archive of the start's classes for the jar (faster start, less idle memory): operator/target/ecs-bridge.jsa"
	@echo "make cds-list - the start's classes listed again (hack/image/start-classes.lst: the image's archive and make cds use it)"
	@echo "make deploy - helm upgrade --install into the current kube context, against real AWS (see README)"

build:
	$(MVN) $(MVN_FLAGS) -DskipTests package
	@ls -l $(JAR)

# Regenerates the CRD YAML from the Java model (the generator's output finished by io.ecsbridge.build.CrdFinish:
# printer columns in declared order, root/spec/status descriptions), and from the list of kinds
# (io.ecsbridge.kinds.Kinds) the chart's helm/ecs-bridge/files/kinds.yaml and docs/iam-policy.json; the build fails
# while the committed copies are stale.
crds:
	$(MVN) $(MVN_FLAGS) -q -DskipTests test-compile
	$(MVN) $(MVN_FLAGS) -q -pl operator dependency:build-classpath -Dmdep.outputFile="$(CURDIR)/operator/target/classpath.txt" >/dev/null
	java -cp "operator/target/test-classes:operator/target/classes:$$(cat operator/target/classpath.txt)" \
	  io.ecsbridge.build.GeneratedFiles "$(CURDIR)"
	@echo "crds/, helm/ecs-bridge/crds/, helm/ecs-bridge/files/kinds.yaml and docs/iam-policy.json updated"

# Builds (once, cached outside the repo) kube-apiserver + etcd + kubectl (hack/kube-bin), helm, the GitOps health
# checker (Argo CD's Lua runtime + kstatus) and the pinned moto. k8s-oldest-test builds the oldest supported
# Kubernetes minor's from hack/kube-bin-oldest itself, so that `make run` never waits for it.
prereqs:
	@bash hack/kube-bin/build.sh >/dev/null
	@bash hack/helm/build.sh >/dev/null
	@bash hack/gitops/build.sh >/dev/null
	@bash hack/moto/ensure-moto.sh >/dev/null

moto-test: prereqs
	"$$(bash hack/moto/ensure-moto.sh)" -m pytest -q operator/src/test/moto

# -Pimage: the image tarball is built (with its class-data sharing archive, hack/image/cds.sh) and checked by ImageIT
# (hack/image/base.sh prepares its base);
# then the compatibility run (k8s-oldest-test) against the oldest supported Kubernetes minor.
test: prereqs moto-test dashboard-test
	@bash hack/image/base.sh >/dev/null
	$(MVN) $(MVN_FLAGS) -Pimage verify
	@$(MAKE) --no-print-directory k8s-oldest-test

# The admission suites (*ValidationIT), PresentationIT, CrdUpgradeIT, RbacIT and KubeVersionIT against the oldest
# supported Kubernetes minor (hack/kube-bin-oldest; docs/operations.md, Compatibility): a few minutes. Each run prints
# the API server's /version ("ecs-bridge tests: kube-apiserver v1...."); KubeVersionIT asserts it is the one asked for.
.PHONY: k8s-oldest-test
k8s-oldest-test: prereqs
	@bash hack/kube-bin/build.sh oldest >/dev/null
	$(MVN) $(MVN_FLAGS) -Pk8s-oldest verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false

# The image alone and its test (ImageIT): about a minute once the base and the jar are built.
image-test:
	@bash hack/image/base.sh >/dev/null
	$(MVN) $(MVN_FLAGS) -Pimage verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ImageIT

unit-test:
	$(MVN) $(MVN_FLAGS) test

# docs/dashboard.png: the Grafana dashboard (helm/ecs-bridge/files/grafana-dashboard.json) drawn from real /metrics
# scrapes, not by Grafana (none can be had here: docs/operations.md). About 6 minutes: hack/dashboard/collect.py runs
# `make run`'s stack through a scenario while scraping /metrics every 5 s, then render.py evaluates every panel's
# PromQL over the scrapes (promql.py, a subset that fails on what it cannot evaluate) and draws the panels. Not part of
# `make test`; dashboard-test (the evaluator's tests, a second) is.
.PHONY: dashboard-png dashboard-test
DASHBOARD_SCRAPES := operator/target/dashboard-scrapes.jsonl
dashboard-png: prereqs
	@mkdir -p operator/target
	python3 hack/dashboard/collect.py $(DASHBOARD_SCRAPES)
	"$$(bash hack/dashboard/ensure-venv.sh)" hack/dashboard/render.py $(DASHBOARD_SCRAPES) docs/dashboard.png

dashboard-test: prereqs
	"$$(bash hack/moto/ensure-moto.sh)" -m pytest -q hack/dashboard

# The integration tests on a k3s container (Testcontainers) instead of kube-apiserver + etcd: needs a Docker engine,
# else Failsafe is skipped with one line. k3s-selection: -Pk3s selects the same tests (Failsafe's dry run, both ways).
.PHONY: k3s-test k3s-selection
k3s-test: prereqs
	$(MVN) $(MVN_FLAGS) -Pk3s verify

k3s-selection:
	MVN="$(MVN)" MVN_FLAGS="$(MVN_FLAGS)" bash hack/k3s/selection.sh

run: prereqs
	bash hack/run-local.sh

# The benchmark (docs/operations.md, "Scale and footprint"): N EcrRepositories and N EcsServices (with their task
# definitions, on a few clusters) on the embedded stack, the operator run from the jar as its own process. Prints
# start-up time, RSS and CPU, converge time, apply-to-Ready p50/p99, AWS calls per resource, the reads of a person's
# forced resync, the change-under-resync latencies and, last, the operator's own periodic resync (a period of
# max(90 s, 0.8 s x N), measured over 2 periods): reads per resource per resync by kind and operation, writes (0);
# writes operator/target/bench/bench-N.json. Not part of `make test`. `make bench N=100` takes about 9 minutes,
# N=1000 over an hour on 2 cores, N=2000 longer (docs/operations.md); more settings:
# BENCH_ARGS="-Dbench.periodicResync=120s -Dbench.periodicWindow=7 ..." (Bench.java; periodicResync=off skips the
# periodic phase, forcedResync=off the two forced resyncs), BENCH_JVM_OPTIONS (the operator's JVM options).
N ?= 100
KINDS ?= repositories,services
BENCH_ARGS ?=
BENCH_JVM_OPTIONS ?=
.PHONY: bench
bench: prereqs
	N=$(N) KINDS=$(KINDS) BENCH_ARGS="$(BENCH_ARGS)" BENCH_JVM_OPTIONS="$(BENCH_JVM_OPTIONS)" bash hack/bench/run.sh

# ACK's ecr-controller doing the same N repositories on the same stack, its figures taken alike (docs/operations.md,
# "Side by side with ACK"; compare with `make bench N=100 KINDS=repositories`); ACK_CONTROLLER=ecs-controller: its
# ecs-controller doing the N services with their task definitions and clusters (compare with KINDS=services). ACK_SRC:
# a folder with the sources of aws-controllers-k8s/ACK_CONTROLLER and of the ACK modules its go.mod requires
# (hack/ack/build.sh builds it from them, once, into the cache: the Go module proxy refuses ACK's modules).
# ACK_CPU_LIMIT=100m: the controller under its chart's CPU limit (a cgroup's quota, hack/ack/cpu-limit.sh; root). Not
# part of `make test`; 1 to 3 minutes at N=100.
ACK_SRC ?=
ACK_CPU_LIMIT ?=
ACK_CONTROLLER ?= ecr-controller
.PHONY: bench-ack
bench-ack: prereqs
	N=$(N) ACK_SRC="$(ACK_SRC)" ACK_CONTROLLER="$(ACK_CONTROLLER)" ACK_CPU_LIMIT="$(ACK_CPU_LIMIT)" BENCH_ARGS="$(BENCH_ARGS)" bash hack/ack/bench.sh

# A class-data sharing archive for the jar (docs/operations.md, "Footprint levers"): the classes of
# hack/image/start-classes.lst (the start's, as the image's archive: hack/image/cds.sh) archived by this JVM
# (-Xshare:dump), a few seconds. It fits only this jar, at this path, on this JVM (Java 17 checks the class path and the
# JVM build; a rebuilt jar makes the JVM ignore it):
# java -XX:SharedArchiveFile=$PWD/operator/target/ecs-bridge.jsa -jar $PWD/operator/target/ecs-bridge.jar
CDS_LIST := hack/image/start-classes.lst
CDS_ARCHIVE := operator/target/ecs-bridge.jsa
.PHONY: cds cds-list
cds: build
	rm -f $(CDS_ARCHIVE)
	java -Xshare:dump -XX:+UseSerialGC -XX:SharedClassListFile=$(CDS_LIST) -XX:SharedArchiveFile=$(CDS_ARCHIVE) \
	  -cp $(CURDIR)/$(JAR) -Xlog:cds=error >/dev/null
	@ls -l $(CDS_ARCHIVE)

# The start's classes again (hack/image/start-classes.lst, committed: the image's and `make cds`'s archives are made
# from it; `make image` again to archive them): the classes the image loads from its start, 10 s idle after ready and
# its stop, as a pod starts it (a ServiceAccount's
# token, no kubeconfig), listed by its JVM (-XX:DumpLoadedClassList) on one start of the jar loop (hack/bench/loop.sh,
# LOOP_POD=true) against the embedded stack with text logs and one with JSON logs (the chart's), merged; the image
# without its archive, so that every class is listed. A start from a kubeconfig (the jar's `make run`) loads some 150
# classes more (its YAML parser, the client certificate's), from the jar. About two minutes; run it when the start
# changes (ImageIT fails when the list names a class of ours that is gone).
CDS_LIST_IMAGE := operator/target/cds-list-image
cds-list: prereqs image
	rm -rf $(CDS_LIST) $(CDS_LIST_IMAGE) operator/target/start-classes-*.lst
	bash hack/image/extract.sh operator/target/ecs-bridge-image-without-cds.tar $(CDS_LIST_IMAGE) >/dev/null
	for format in text json; do \
	  LOOP_RUNS=1 LOOP_POD=true LOOP_SETTINGS=ECSBRIDGE_LOG_FORMAT=$$format \
	    LOOP_VARIANTS="list=$(CURDIR)/$(CDS_LIST_IMAGE)|+-XX:DumpLoadedClassList=/tmp/start-classes-$$format.lst" \
	    bash hack/bench/loop.sh >/dev/null || exit 1; \
	  cp $(CDS_LIST_IMAGE)/rootfs/tmp/start-classes-$$format.lst operator/target/ || exit 1; \
	done
	{ echo "# The operator's start's classes as a pod (make cds-list: text and JSON logs), for hack/image/cds.sh and make cds"; \
	  cat operator/target/start-classes-text.lst operator/target/start-classes-json.lst | grep -v '^#' | awk '!seen[$$0]++'; \
	} > $(CDS_LIST)
	@echo "$(CDS_LIST): $$(grep -cv '^#' $(CDS_LIST)) entries"

# The image without a Docker daemon or a registry: Jib on `scratch` plus hack/image/base.sh's tree (a Java 17 runtime
# jlink'd from the local JDK and the glibc/zlib/libstdc++ files of Debian's packages), user 65532, the version and git
# revision as OCI labels. An OCI layout tarball (load it with `skopeo copy oci-archive:...`, `podman load`,
# `crane push`, or `docker load` on Docker 25+).
image:
	@bash hack/image/base.sh >/dev/null
	$(MVN) $(MVN_FLAGS) -DskipTests -Pimage verify
	@echo "image: $(IMAGE_TAR) (ecs-bridge:$(VERSION), $$(cat operator/target/jib-image.digest))"

# Built and pushed by Jib (credentials: Jib reads ~/.docker/config.json and its credential helpers, e.g. for ECR
# docker-credential-ecr-login). Prints the digest to install by (README: Install).
#   make image-push REGISTRY=123456789012.dkr.ecr.eu-west-1.amazonaws.com
image-push:
	@test -n "$(REGISTRY)" || { echo "usage: make image-push REGISTRY=<registry>[/<path>]" >&2; exit 2; }
	@bash hack/image/base.sh >/dev/null
	$(MVN) $(MVN_FLAGS) -DskipTests -Pimage verify jib:build -Dimage.name=$(REGISTRY)/ecs-bridge:$(VERSION)
	@echo "pushed $(REGISTRY)/ecs-bridge:$(VERSION)@$$(cat operator/target/jib-image.digest)"

# The Dockerfile's way, for those who prefer it (needs a Docker engine and its base image).
IMAGE ?= ecs-bridge:dev
docker-image: build
	docker build -t $(IMAGE) .

# The chart as a package versioned with the operator (Chart.yaml's version and appVersion are the pom's: HelmChartTest).
#   helm push $(CHART_TGZ) oci://<registry>/charts
chart:
	@mkdir -p operator/target
	"$$(bash hack/helm/build.sh)" package helm/ecs-bridge --version $(VERSION) --app-version $(VERSION) \
	  --destination operator/target
	@echo "chart: $(CHART_TGZ)"

# Installs or upgrades the chart into the current kube context (kubectl config current-context), against real AWS.
#   make deploy IMAGE_REPOSITORY=123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecs-bridge IMAGE_TAG=$(VERSION) \
#     AWS_ROLE_ARN=arn:aws:iam::123456789012:role/ecs-bridge AWS_REGION=eu-west-1
NAMESPACE ?= ecs-bridge
RELEASE ?= ecs-bridge
IMAGE_TAG ?= $(VERSION)
deploy:
	@test -n "$(IMAGE_REPOSITORY)" || { echo "usage: make deploy IMAGE_REPOSITORY=<registry>/ecs-bridge [IMAGE_TAG=$(VERSION)] [AWS_ROLE_ARN=<IRSA role>] [AWS_REGION=<region>] [NAMESPACE=ecs-bridge] [HELM_ARGS=...]" >&2; exit 2; }
	"$$(bash hack/helm/build.sh)" upgrade --install $(RELEASE) helm/ecs-bridge --namespace $(NAMESPACE) --create-namespace \
	  --set image.repository=$(IMAGE_REPOSITORY) --set image.tag=$(IMAGE_TAG) \
	  $(if $(AWS_REGION),--set aws.region=$(AWS_REGION)) \
	  $(if $(AWS_ROLE_ARN),--set-string serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=$(AWS_ROLE_ARN)) \
	  --wait $(HELM_ARGS)

clean:
	$(MVN) $(MVN_FLAGS) -q clean
