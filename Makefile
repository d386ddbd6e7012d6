# gilkit: see README.md. Every target provisions the interpreters it needs.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Interpreters to use, by name: X.Y (GIL build), X.Yt (free-threaded).
PYTHONS ?= 3.12 3.13t
export PYTHONS
LIST := bin/pythons.txt
# Go benchmark flags for gobench; 6 runs give benchstat a confidence interval.
GOBENCH_FLAGS ?= -count 6

.PHONY: help pythons build test gobench bench vet clean docker docker-tools docker-check docker-clean

help:
	@echo "make bench    provision, build, run the experiments on every interpreter"
	@echo "make test     provision, then go test -race ./... once per interpreter"
	@echo "make pythons  provision interpreters, print NAME PREFIX per line"
	@echo "make build    bin/gilctl-NAME per interpreter"
	@echo "make gobench  Go benchmarks per interpreter (benchstat format)"
	@echo "make docker   images for docker compose run (DOCKER_PYTHONS=\"$(DOCKER_PYTHONS)\")"
	@echo "PYTHONS=\"$(PYTHONS)\" selects interpreters"

pythons:
	@mkdir -p bin
	@scripts/pythons.sh > $(LIST).tmp || { cat $(LIST).tmp; rm -f $(LIST).tmp; exit 1; }
	@mv $(LIST).tmp $(LIST)
	@cat $(LIST)

build: pythons
	@while read -r name prefix; do scripts/build-gilctl.sh "$$name" "$$prefix"; done < $(LIST)

vet: pythons
	@read -r name prefix < $(LIST); \
	test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }; \
	scripts/with-python.sh "$$name" "$$prefix" go vet ./...

# Runs every interpreter even when one fails, then fails if any did.
test: vet
	@failed=""; while read -r name prefix; do \
		echo "=== python: $$name ($$prefix)"; \
		scripts/with-python.sh "$$name" "$$prefix" go test -race -count=1 ./... || failed="$$failed $$name"; \
	done < $(LIST); \
	if [ -n "$$failed" ]; then echo "FAILED on:$$failed"; exit 1; fi; \
	echo "all tests passed on: $$(cut -d' ' -f1 $(LIST) | xargs)"

gobench: pythons
	@while read -r name prefix; do \
		echo "python: $$name"; \
		scripts/with-python.sh "$$name" "$$prefix" go test -run '^$$' -bench . -benchmem $(GOBENCH_FLAGS) ./embed/; \
	done < $(LIST)

# QUICK=1 shrinks the counts (--quick); BENCH_FLAGS adds flags to compare.
# Every interpreter in the list runs, free-threaded ones also as NAME+gil
# (PYTHON_GIL=1), interleaved run by run; then the claims are judged and the
# report is written to out/.
BENCH_FLAGS ?=
bench: build
	@mkdir -p out
	@first=$$(head -n1 $(LIST) | cut -d' ' -f1); \
	targets=$$(while read -r name prefix; do printf '%s,' "$$name"; case "$$name" in *t) printf '%s,' "$$name+gil";; esac; done < $(LIST)); \
	targets=$${targets%,}; \
	echo "=== comparing $$targets (progress on stderr)"; \
	bin/gilctl-$$first compare --pythons "$$targets" $(if $(QUICK),--quick) $(BENCH_FLAGS) --save out/compare.json; \
	echo; echo "=== the article's claims"; \
	bin/gilctl-$$first check --pythons "$$targets" --from out/compare.json --save out/check.json; \
	echo; bin/gilctl-$$first report --results out/compare.json --check out/check.json --out out

clean:
	rm -rf bin out

# Docker images for `docker compose run` (see README, Docker), built offline.
# DOCKER_PYTHONS chooses the interpreters (each gets gilkit:NAME; all of them
# go into gilkit:dev for the test and bench services); DOCKER_SOURCES says
# which are copied from a host build instead of built from a pinned tarball.
DOCKER_PYTHONS ?= 3.12 3.13t
DOCKER_SOURCES ?= 3.12=prefix
export DOCKER_PYTHONS DOCKER_SOURCES

docker-tools:
	@scripts/docker-tools.sh

docker: docker-tools
	@scripts/docker-build.sh

# What CI checks: each service's info --json, the test service, a small bench.
docker-check: docker
	@scripts/docker-check.sh

# Removes gilkit's images (the base too), their build cache and the build
# context under .cache/docker: the next make docker starts cold.
docker-clean:
	@ids=$$(docker image ls --format '{{.Repository}}:{{.Tag}}' | grep -E '^gilkit(/[a-z-]+)?:' || true); \
	if [ -n "$$ids" ]; then docker image rm $$ids >/dev/null; fi
	@docker image prune -f --filter label=org.gilkit.image=true >/dev/null
	rm -rf .cache/docker
