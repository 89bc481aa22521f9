# Lantern developer commands. See README.

FUZZTIME ?= 20s
# make run's address and data folder: make run ADDR=127.0.0.1:9090 DATA=/tmp/lantern
ADDR ?= 127.0.0.1:8080
DATA ?= lantern-data

.PHONY: run test bench fuzz fuzz-long

## run: start Lantern with demo data on ADDR (127.0.0.1:8080), keeping it in DATA (lantern-data)
run:
	go run ./cmd/lantern serve --demo --addr '$(ADDR)' --data '$(DATA)'

## test: go vet + every test, against real SQLite, PostgreSQL and Chromium
test:
	scripts/test

## bench: the benchmark that holds still: the load from a separate process, the bare handler,
## /healthz, /api/v1/me, the audited child read and the limit handler side by side (cmd/lantern-bench/hold.go)
bench:
	go run ./cmd/lantern-bench -scenario hold -c 32 -d 5s -rounds 2

## fuzz: run each Fuzz* target for FUZZTIME (default 20s)
fuzz:
	FUZZTIME='$(FUZZTIME)' scripts/fuzz

## fuzz-long: run each Fuzz* target to 10 million executions (outside CI: hours; FUZZCAP=5m caps each target's time)
fuzz-long:
	FUZZTIME=10000000x FUZZCAP='$(FUZZCAP)' scripts/fuzz
