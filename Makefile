# gilkit: see README.md. Every target provisions the interpreters it needs.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Interpreters to use, by name: X.Y (GIL build), X.Yt (free-threaded). With
# X.Yt in the list, X.Y is the GIL build of the same source tarball (see
# scripts/pythons.sh), so that the two differ only by free-threading.
PYTHONS ?= 3.12 3.13 3.13t
export PYTHONS
LIST := bin/pythons.txt
# Go benchmark flags for gobench; 6 runs give benchstat a confidence interval.
GOBENCH_FLAGS ?= -count 6

.PHONY: help pythons build test pure gobench bench vet vet-pure gopy clean stress fuzz docker docker-tools docker-seed docker-check docker-clean docs-chart

# make help lists every target that has a "## what it does" comment after its
# name; scripts/makefile_test.go fails when a .PHONY target has none.
help: ## this list
	@echo "Targets (PYTHONS=\"$(PYTHONS)\" selects interpreters; see README.md):"
	@awk -F':.*## ' '/^[a-z][a-z-]*:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(firstword $(MAKEFILE_LIST))

pythons: ## provision the interpreters, print NAME PREFIX per line
	@mkdir -p bin
	@scripts/pythons.sh > $(LIST).tmp || { cat $(LIST).tmp; rm -f $(LIST).tmp; exit 1; }
	@mv $(LIST).tmp $(LIST)
	@cat $(LIST)

build: pythons ## bin/gilctl-NAME per interpreter, and bin/gilctl -> the first
	@while read -r name prefix; do scripts/build-gilctl.sh "$$name" "$$prefix"; done < $(LIST)
	@first=$$(head -n1 $(LIST) | cut -d' ' -f1); ln -sfn "gilctl-$$first" bin/gilctl; \
	echo "linked bin/gilctl -> gilctl-$$first (the first of PYTHONS)"

# The packages that never run Python (results, driver, worker protocol,
# verdicts, report, charts) are vetted and tested without cgo and without
# any interpreter; scripts/packages.sh keeps their list true (it fails when
# one starts importing embed, or a new pure package is not listed).
# gofmt checks the checkout's Go files, not those under dot directories
# (like the go tool): make docker-seed leaves a module cache in .cache/.
GOFILES = find . -path './.*' -prune -o -name '*.go' -print
vet-pure: ## gofmt and go vet of the packages that never run Python
	@test -z "$$($(GOFILES) | xargs gofmt -l)" || { echo "gofmt needed:"; $(GOFILES) | xargs gofmt -l; exit 1; }
	@CGO_ENABLED=0 go vet $$(scripts/packages.sh pure)

vet: vet-pure pythons ## go vet of every package (the Python ones against the first interpreter)
	@read -r name prefix < $(LIST); \
	scripts/with-python.sh "$$name" "$$prefix" go vet $$(scripts/packages.sh python)

# Without cgo (the promise), then with the race detector (which needs cgo,
# not Python).
pure: vet-pure ## vet and test the packages that never run Python, with CGO_ENABLED=0
	@pkgs=$$(scripts/packages.sh pure); \
	echo "=== without Python: CGO_ENABLED=0 go test ($$(echo $$pkgs | wc -w) packages)"; \
	CGO_ENABLED=0 go test -count=1 $$pkgs; \
	echo "=== without Python: go test -race"; \
	go test -race -count=1 $$pkgs; \
	echo "=== the stopping rule at the threshold, simulated (docs/check.md)"; \
	CGO_ENABLED=0 go test -count=1 -run '^TestFalseVerdictRateAtThreshold$$' -v ./gilctl/internal/sequential/ \
		| grep -o 'rate of confident wrong verdicts at the threshold: .*promised[^)]*)'

# Runs every interpreter even when one fails, then fails if any did.
test: vet pure ## provision, then go test -race of every package once per interpreter
	@pkgs=$$(scripts/packages.sh python); failed=""; while read -r name prefix; do \
		echo "=== python: $$name ($$prefix)"; \
		scripts/with-python.sh "$$name" "$$prefix" go test -race -count=1 $$pkgs || failed="$$failed $$name"; \
	done < $(LIST); \
	if [ -n "$$failed" ]; then echo "FAILED on:$$failed"; exit 1; fi; \
	echo "all tests passed on: $$(cut -d' ' -f1 $(LIST) | xargs)"

gobench: pythons ## Go benchmarks of package embed per interpreter (benchstat format)
	@while read -r name prefix; do \
		echo "python: $$name"; \
		scripts/with-python.sh "$$name" "$$prefix" go test -run '^$$' -bench . -benchmem $(GOBENCH_FLAGS) ./embed/; \
	done < $(LIST)

# make stress: STRESS_CALLS mixed calls from STRESS_GOROUTINES goroutines on
# every interpreter (free-threaded ones also as NAME+gil), then compiling
# calls and the latency of cancellation; see embed/stress_test.go. Each
# interpreter runs even when one fails.
STRESS_CALLS ?= 1000000
STRESS_GOROUTINES ?= 64
stress: pythons ## STRESS_CALLS mixed calls from STRESS_GOROUTINES goroutines per interpreter
	@failed=""; while read -r name prefix; do \
		for variant in $$name $$(case $$name in *t) echo $$name+gil;; esac); do \
			echo "=== stress: $$variant ($$prefix)"; \
			GILKIT_STRESS_CALLS=$(STRESS_CALLS) GILKIT_STRESS_GOROUTINES=$(STRESS_GOROUTINES) \
				scripts/with-python.sh "$$variant" "$$prefix" go test -count=1 -v -run '^TestStress$$' -timeout 30m ./embed/ </dev/null \
				|| failed="$$failed $$variant"; \
		done; \
	done < $(LIST); \
	if [ -n "$$failed" ]; then echo "stress FAILED on:$$failed"; exit 1; fi; \
	echo "stress passed on every interpreter"

# make fuzz: each fuzz target of package embed for FUZZTIME per interpreter
# (the +gil variants run the same code and are left out). A failing input
# is written to embed/testdata/fuzz/ and then runs with every make test.
# The default is a number of inputs, not a duration: with a duration, Go
# 1.26's fuzzing coordinator can fail a target with a bare "context deadline
# exceeded" at the end when a worker is slow to stop (golang/go#75804, fixed
# in Go 1.27); it did so here on FuzzExec. 20000 inputs take 5-10 s per
# target on 2 cores. A duration (FUZZTIME=10m) still works for long runs.
FUZZTIME ?= 20000x
FUZZ_TARGETS := FuzzRoundTrip FuzzExec
fuzz: pythons ## the fuzz targets for FUZZTIME each per interpreter
	@failed=""; while read -r name prefix; do \
		for target in $(FUZZ_TARGETS); do \
			echo "=== fuzz: $$target on $$name for $(FUZZTIME) (x: inputs)"; \
			scripts/with-python.sh "$$name" "$$prefix" go test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -timeout 10m ./embed/ </dev/null \
				|| failed="$$failed $$target/$$name"; \
		done; \
	done < $(LIST); \
	if [ -n "$$failed" ]; then echo "fuzz FAILED:$$failed"; exit 1; fi; \
	echo "fuzzing found nothing new on: $$(cut -d' ' -f1 $(LIST) | xargs)"

# compare runs the cells the claims judge and the report's charts draw; each
# cell a claim judges runs until its ratio is decided (docs/check.md). QUICK=1
# runs only the claims' cells, with small counts (--quick); BENCH_FLAGS adds
# flags to compare. Every interpreter in the list runs, free-threaded ones
# also as NAME+gil (PYTHON_GIL=1), interleaved run by run; then the claims are
# judged and the report is written to out/.
BENCH_FLAGS ?=
bench: build ## provision, build, run the experiments on every interpreter, judge, report to out/
	@mkdir -p out
	@# The gopy workload's extension, per interpreter (cached; the first run
	@# builds gopy). Where gopy cannot build, the workload's cells say why.
	@while read -r name prefix; do \
		scripts/gopy.sh "$$name" "$$prefix" >/dev/null </dev/null || echo "=== gopy: no extension for $$name (the gopy cells say why)"; \
	done < $(LIST)
	@first=$$(head -n1 $(LIST) | cut -d' ' -f1); \
	targets=$$(while read -r name prefix; do printf '%s,' "$$name"; case "$$name" in *t) printf '%s,' "$$name+gil";; esac; done < $(LIST)); \
	targets=$${targets%,}; \
	echo "=== comparing $$targets (progress on stderr)"; \
	bin/gilctl-$$first compare --pythons "$$targets" $(if $(QUICK),--quick) $(BENCH_FLAGS) --save out/compare.json; \
	echo; echo "=== the article's claims"; \
	bin/gilctl-$$first check --pythons "$$targets" --results out/compare.json $(if $(QUICK),--quick) --save-verdicts out/check.json; \
	echo; bin/gilctl-$$first report --results out/compare.json --verdicts out/check.json --out out

# The gopy path (plain python processes, never the embedded interpreter):
# builds pyexamples/gopyext with gopy for every interpreter (cached in
# ~/.cache/gilkit/gopy; the first run also builds gopy and goimports and fetches
# Debian's python3-pybindgen), then runs pyexamples/gopy_threads.py under each
# plain python, free-threaded ones also with PYTHON_GIL=1. An interpreter gopy
# cannot build for is reported with gopy's error and the others go on.
# GOPY_FLAGS adds flags to the script, e.g. GOPY_FLAGS="--runs 9".
GOPY_FLAGS ?=
gopy: pythons ## build Go code with gopy per interpreter, call it from Python threads
	@while read -r name prefix; do \
		abi=$${name%+gil}; status=0; \
		dir=$$(scripts/gopy.sh "$$name" "$$prefix" </dev/null) || status=$$?; \
		if [ $$status -eq 3 ]; then echo "=== gopy: $$name: not available (gopy's error above)"; continue; fi; \
		[ $$status -eq 0 ] || exit $$status; \
		variants=$$name; case "$$name" in *t) variants="$$name $$name+gil";; esac; \
		for v in $$variants; do \
			gil=; case "$$v" in *+gil) gil=1;; esac; \
			echo; echo "=== gopy: $$v"; \
			env -u PYTHON_GIL $${gil:+PYTHON_GIL=1} "$$prefix/bin/python$$abi" pyexamples/gopy_threads.py \
				--module-dir "$$dir" $(GOPY_FLAGS) </dev/null; \
		done; \
	done < $(LIST)

clean: ## remove bin/ and out/
	rm -rf bin out

# README's chart is the countdown's speedup chart of a full `make bench`
# (QUICK=1 draws one point per mode): run that first, on a quiet machine.
docs-chart: ## copy out/speedup-countdown.png of the last make bench into docs/img for README
	@test -f out/speedup-countdown.png || { echo "no out/speedup-countdown.png: run make bench first"; exit 1; }
	@mkdir -p docs/img
	cp out/speedup-countdown.png docs/img/speedup-countdown.png

# Docker images for `docker compose run` (docs/docker.md). compose.yaml
# builds each image on first use from docker/Dockerfile, which downloads its
# inputs; make docker-seed places them first (base image, CPython tarballs,
# prebuilt prefixes where no tarball can be had, Go modules: docker/seed/),
# so that builds need no registry, python.org or Go proxy. It builds nothing.
# DOCKER_SEED_PREFIXES="3.13 3.13t" seeds host builds of those too (CI: the
# ones make test built earlier), so the images skip building CPython.
DOCKER_SEED_PREFIXES ?=
export DOCKER_SEED_PREFIXES

docker-tools: ## what make docker needs besides a Docker engine (debootstrap, docker compose v2)
	@scripts/docker-tools.sh

docker-seed: docker-tools ## place what an offline docker compose build needs (builds nothing)
	@scripts/docker-seed.sh

docker: docker-seed ## make docker-seed, then docker compose build of every image
	@scripts/docker-build.sh

# What CI checks: each service's info --json, the test service (on
# DOCKER_TEST_PYTHONS, default every interpreter of the image), a small bench.
docker-check: docker ## build the images, then check each service (info, test, a small bench)
	@scripts/docker-check.sh

# Removes gilkit's images (and the intermediate images of the classic
# builder), a base image the seed made, and the seed: the next build starts
# from nothing but BuildKit's cache (docker builder prune empties that, for
# every project on the engine).
docker-clean: ## remove gilkit's images, a base image the seed made, and the seed
	@ids=$$(docker image ls --format '{{.Repository}}:{{.Tag}}' | grep -E '^gilkit(/[a-z-]+)?:' || true); \
	if [ -n "$$ids" ]; then docker image rm $$ids >/dev/null; fi
	@docker image prune -af --filter label=org.gilkit.image=true >/dev/null
	@base=$$(sed -n 's/^ARG BASE=//p' docker/Dockerfile | head -n1); \
	if [ "$$(docker image inspect -f '{{index .Config.Labels "org.gilkit.seed"}}' "$$base" 2>/dev/null)" = debootstrap ]; then \
		docker image rm "$$base" >/dev/null; echo "removed $$base (made by make docker-seed)"; fi
	@find docker/seed -mindepth 1 ! -name README.md ! -name .gitignore -exec rm -rf {} +
	rm -rf .cache/docker
