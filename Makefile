# ecs-bridge: the two commands that matter are `make run` and `make test`. Everything they need is set up by them.
SHELL := bash
MVN ?= mvn
MVN_FLAGS ?= -B -ntp
JAR := operator/target/ecs-bridge.jar

.PHONY: help build crds test unit-test moto-test prereqs run image deploy clean

help:
	@echo "make run    - the operator on an embedded local stack (kube-apiserver + etcd + moto), samples applied"
	@echo "make test   - the whole test suite (unit, moto extension, integration against kube-apiserver + moto)"
	@echo "make build  - the runnable jar $(JAR)"
	@echo "make crds   - regenerate crds/ (and the Helm chart's copy) from the Java model"

build:
	$(MVN) $(MVN_FLAGS) -DskipTests package
	@ls -l $(JAR)

# Regenerates the CRD YAML from the Java model; the build fails while the committed copies are stale.
crds:
	$(MVN) $(MVN_FLAGS) -q -DskipTests process-classes
	rm -f crds/*.yml
	cp operator/target/crds/*.yml crds/
	@if [ -d helm/ecs-bridge ]; then mkdir -p helm/ecs-bridge/crds && rm -f helm/ecs-bridge/crds/*.yml && cp crds/*.yml helm/ecs-bridge/crds/; fi
	@echo "crds/ updated"

# Builds (once, cached outside the repo) kube-apiserver + etcd + kubectl and the pinned moto.
prereqs:
	@bash hack/kube-bin/build.sh >/dev/null
	@bash hack/moto/ensure-moto.sh >/dev/null

moto-test: prereqs
	"$$(bash hack/moto/ensure-moto.sh)" -m pytest -q operator/src/test/moto

test: prereqs moto-test
	$(MVN) $(MVN_FLAGS) verify

unit-test:
	$(MVN) $(MVN_FLAGS) test

run: prereqs
	bash hack/run-local.sh

image: build
	docker build -t ecs-bridge:dev .

clean:
	$(MVN) $(MVN_FLAGS) -q clean
