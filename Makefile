# The README's two quick-start commands, and a few conveniences. Everything real is in
# meson.build; this file only installs what is missing, configures and calls it.

PACKAGES := gcc meson ninja-build pkg-config python3 ca-certificates jq libmicrohttpd-dev \
            libjson-c-dev libjwt-dev libssl-dev libcurl4-openssl-dev zlib1g-dev check clang clang-format valgrind chromium $(if $(shell command -v node 2>/dev/null),,nodejs) $(if $(shell command -v npm 2>/dev/null),,npm)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build run test test-plain test-sanitize test-valgrind fuzz bench docker-test clean

# Installs only the Debian packages that are missing.
deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null \
	  | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

build: deps
	@[ -f build/build.ninja ] || meson setup build >/dev/null
	ninja -C build

# Starts the emulator with the demo fixtures on an embedded SQLite file.
run: build
	./build/keyless-emulator --fixtures fixtures/demo.json --db keyless-emulator.db

# The whole suite twice: a normal build, then AddressSanitizer + UndefinedBehaviorSanitizer;
# the unit tests under valgrind;
# then every libFuzzer target for 10 s over its seed corpus (clang, build-fuzz).
# In CI (CI=true) it also builds the container image and checks it (see docker-test).
test: deps test-plain test-sanitize test-valgrind fuzz $(if $(filter true,$(CI)),docker-test)
	@echo "make test: all suites passed in both builds, and the fuzzers found nothing"

fuzz:
	bash tests/fuzz/run.sh

test-plain:
	@[ -f build/build.ninja ] || meson setup build >/dev/null
	ninja -C build
	meson test -C build --print-errorlogs --num-processes 2

# The pure modules' unit tests once more under valgrind (memcheck): no error, no leak.
# Valgrind runs code 20-50x slower, so the timeouts are stretched to match: generating the
# crypto test's two RSA keys took 45 s in one run and over 60 s (its timeout) in the next.
test-valgrind: test-plain
	CK_FORK=no meson test -C build --no-rebuild --suite unit --print-errorlogs \
	  --timeout-multiplier 5 \
	  --wrap='valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --quiet'

test-sanitize:
	@[ -f build-sanitize/build.ninja ] || \
	  meson setup build-sanitize -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	ninja -C build-sanitize
	meson test -C build-sanitize --print-errorlogs --num-processes 2

# Figures, not pass/fail: release build, wrk against the emulator and a bare reference server.
bench: deps
	bash tests/bench/run.sh

# Builds the container image with podman (chroot isolation) and checks it answers health.
docker-test: deps
	bash docker/test.sh

clean:
	rm -rf build build-sanitize build-fuzz build-release
