# Lantern developer commands. See README.

FUZZTIME ?= 20s

.PHONY: run test bench fuzz

## run: start Lantern with demo data
run:
	go run ./cmd/lantern serve --demo

## test: go vet + every test, against real SQLite, PostgreSQL and Chromium
test:
	scripts/test

## bench: run the benchmark driver
bench:
	go run ./cmd/lantern-bench

## fuzz: run each Fuzz* target for FUZZTIME (default 20s)
fuzz:
	FUZZTIME='$(FUZZTIME)' scripts/fuzz
