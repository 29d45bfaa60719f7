# pantau: `make demo` runs it on the sample data, `make test` runs every check.
GO      ?= go
DEMO    := demo
PANTAU  := bin/pantau

.PHONY: build assets demo test bench fuzz sample clean

# The packages pinned in dashboard/package-lock.json (echarts; the official
# area catalogue idn-area-data), installed and turned into the files the
# binary embeds. None of them is committed.
NODE    := dashboard/node_modules/.package-lock.json
VENDOR  := dashboard/static/vendor/echarts.min.js
AREAS   := ingest/areas/catalogue.txt.gz
assets: $(VENDOR) $(AREAS)
$(NODE): dashboard/package.json dashboard/package-lock.json
	cd dashboard && npm ci --no-audit --no-fund --loglevel=error
	touch $@
$(VENDOR): $(NODE)
	mkdir -p dashboard/static/vendor
	cp dashboard/node_modules/echarts/dist/echarts.min.js dashboard/node_modules/echarts/LICENSE $(dir $(VENDOR))
$(AREAS): $(NODE) ingest/areas/gen/main.go
	$(GO) run ./ingest/areas/gen dashboard/node_modules/idn-area-data/data $@

build: assets
	$(GO) build -o $(PANTAU) ./cmd/pantau

# The sample workbooks in ./pantau.duckdb (when it is empty), a demo admin
# with a random password printed once, and the dashboard on 127.0.0.1:8080.
demo: build
	$(PANTAU) demo --db pantau.duckdb --data pantau-data --addr 127.0.0.1:8080

# Formatting, vet, the whole suite under the race detector, and every
# benchmark once so that none of them rots.
test: assets
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 30m ./...
	$(GO) test -run '^$$' -bench . -benchtime 1x ./...

# The figures in the README.
bench: assets
	PANTAU_BENCH_BIG=1 $(GO) test -run '^$$' -bench . -benchtime 2x -benchmem ./ingest/ ./ingest/areas/ ./cmd/pantau/
	$(GO) test -run '^$$' -bench . -benchtime 10x ./queries/
	$(GO) test -run '^$$' -bench 'Chart|OverviewCompared' -benchtime 10x ./dashboard/
	PANTAU_BENCH_SIZES=100k,1M,10M $(GO) test -run '^$$' -bench 'DashboardUncached' -benchtime 10x -timeout 60m ./dashboard/
	$(GO) test -run '^$$' -bench 'Load' -benchtime 1x ./dashboard/
	$(GO) test -run '^$$' -bench 'SummaryWorkbook|UploadPreview|CommitAfterPreview' -benchtime 3x ./dashboard/

fuzz:
	$(GO) test ./ingest/ -run '^$$' -fuzz FuzzIngest -fuzztime 5m
	$(GO) test ./ingest/xlsx/ -run '^$$' -fuzz FuzzSheetReader -fuzztime 5m

# Regenerate the committed sample workbooks (they are `pantau sample`'s output).
sample:
	$(GO) test ./sampledata/ -run TestCommittedSamplesAreCurrent -update

clean:
	rm -rf bin $(DEMO) dashboard/node_modules dashboard/static/vendor $(AREAS)
