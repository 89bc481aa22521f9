# Lantern developer commands. See README.

FUZZTIME ?= 20s
# make run's address and data folder: make run ADDR=127.0.0.1:9090 DATA=/tmp/lantern
ADDR ?= 127.0.0.1:8080
DATA ?= lantern-data

.PHONY: run test bench fuzz

## run: start Lantern with demo data on ADDR (127.0.0.1:8080), keeping it in DATA (lantern-data)
run:
	go run ./cmd/lantern serve --demo --addr '$(ADDR)' --data '$(DATA)'

## test: go vet + every test, against real SQLite, PostgreSQL and Chromium
test:
	scripts/test

## bench: run the benchmark driver
bench:
	go run ./cmd/lantern-bench

## fuzz: run each Fuzz* target for FUZZTIME (default 20s)
fuzz:
	FUZZTIME='$(FUZZTIME)' scripts/fuzz
