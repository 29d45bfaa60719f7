# pantau: `make demo` runs it on the sample data, `make test` runs every check.
GO      ?= go
DEMO    := demo
PANTAU  := bin/pantau

.PHONY: build demo test bench fuzz sample clean

build:
	$(GO) build -o $(PANTAU) ./cmd/pantau

# A fresh database from the sample workbooks, then the summary the dashboards will show.
demo: build
	rm -rf $(DEMO)
	$(PANTAU) ingest --db $(DEMO)/pantau.duckdb --data $(DEMO)/data sampledata/peserta.xlsx sampledata/survei.xlsx
	$(PANTAU) summary --db $(DEMO)/pantau.duckdb

# Formatting, vet, the whole suite under the race detector, and every
# benchmark once so that none of them rots.
test:
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
	$(GO) test -run '^$$' -bench . -benchtime 1x ./...

# The figures in the README.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 5x -benchmem ./ingest/ ./cmd/pantau/

fuzz:
	$(GO) test ./ingest/ -run '^$$' -fuzz FuzzIngest -fuzztime 5m

# Regenerate the committed sample workbooks (they are `pantau sample`'s output).
sample:
	$(GO) test ./sampledata/ -run TestCommittedSamplesAreCurrent -update

clean:
	rm -rf bin $(DEMO)
