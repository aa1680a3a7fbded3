# `make up`: install what is missing and run Berth in the foreground.
# `make test`: the same set-up, then every test.
.PHONY: up test build bench clean

up:
	bash scripts/setup.sh
	./berth up

test:
	bash scripts/setup.sh --test
	bash scripts/run-tests.sh

build:
	npx tsc -p tsconfig.json

bench:
	bash scripts/setup.sh
	npm run bench

clean:
	rm -rf dist
