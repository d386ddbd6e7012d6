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

.PHONY: help pythons build test gobench bench vet clean stress fuzz

help:
	@echo "make bench    provision, build, run the experiments on every interpreter"
	@echo "make test     provision, then go test -race ./... once per interpreter"
	@echo "make pythons  provision interpreters, print NAME PREFIX per line"
	@echo "make build    bin/gilctl-NAME per interpreter"
	@echo "make gobench  Go benchmarks per interpreter (benchstat format)"
	@echo "make stress   1,000,000 mixed calls from 64 goroutines per interpreter"
	@echo "make fuzz     the fuzz targets for FUZZTIME each per interpreter"
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

# make stress: STRESS_CALLS mixed calls from STRESS_GOROUTINES goroutines on
# every interpreter (free-threaded ones also as NAME+gil), then compiling
# calls and the latency of cancellation; see embed/stress_test.go. Each
# interpreter runs even when one fails.
STRESS_CALLS ?= 1000000
STRESS_GOROUTINES ?= 64
stress: pythons
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
FUZZTIME ?= 10s
FUZZ_TARGETS := FuzzRoundTrip FuzzExec
fuzz: pythons
	@failed=""; while read -r name prefix; do \
		for target in $(FUZZ_TARGETS); do \
			echo "=== fuzz: $$target on $$name for $(FUZZTIME)"; \
			scripts/with-python.sh "$$name" "$$prefix" go test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -timeout 10m ./embed/ </dev/null \
				|| failed="$$failed $$target/$$name"; \
		done; \
	done < $(LIST); \
	if [ -n "$$failed" ]; then echo "fuzz FAILED:$$failed"; exit 1; fi; \
	echo "fuzzing found nothing new on: $$(cut -d' ' -f1 $(LIST) | xargs)"

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
