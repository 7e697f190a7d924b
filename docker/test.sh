#!/usr/bin/env bash
# docker/test.sh (`make docker-test`): builds the container images without a Docker engine or an
# image registry, then runs them and checks what a user of docker/compose.yaml relies on.
#
# On Debian 12 as root, with only the Debian mirror of this machine's apt reachable:
#   1. installs podman, buildah and debootstrap when missing;
#   2. makes the base image once: debootstrap --variant=minbase bookworm into $KE_DOCKER_CACHE
#      (default /var/cache/keyless-emulator), imported with podman, plus this machine's Debian
#      apt sources (docker/apt-sources.py) so that apt in the build stages uses the same mirror;
#   3. podman build --isolation=chroot --format docker of docker/Dockerfile and of the webhook
#      receiver (layers are cached: a rerun rebuilds only what changed);
#   4. runs them with buildah run --isolation chroot (no network namespace: both listen on
#      127.0.0.1 of this machine, on ports picked by the kernel) and checks the image
#      configuration, the non-root user, the health endpoint through the image's own
#      HEALTHCHECK command, the demo fixtures, a signed webhook delivered to the receiver,
#      the dashboard at /, a clean stop on SIGTERM and the database surviving a restart in the /data volume.
# Exits non-zero on the first failure; containers and temporary files are removed either way.
set -Eeuo pipefail
ERR_SEEN=
trap '[ -n "$ERR_SEEN" ] || echo "[docker-test] FAILED at docker/test.sh:$LINENO: $BASH_COMMAND" >&2
      ERR_SEEN=1' ERR
cd "$(dirname "$0")/.."

CACHE=${KE_DOCKER_CACHE:-/var/cache/keyless-emulator}
ROOTFS=$CACHE/bookworm-rootfs
ROOTFS_IMAGE=localhost/keyless-emulator/bookworm-rootfs:latest
BASE_IMAGE=localhost/debian:bookworm-slim
IMAGE=localhost/keyless-emulator:test
RECEIVER_IMAGE=localhost/keyless-webhook-receiver:test
EMU_CTR=keyless-emulator-test
RCV_CTR=keyless-webhook-receiver-test
SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
ACCEPT='Accept: application/vnd.assaabloy.keyless.administration-2+json'
RUN=(buildah run --isolation chroot)
WORK=
declare -A BG=()

PASSED=0
REPORTED=

log() { printf '[docker-test %4ss] %s\n' "$SECONDS" "$*"; }
pass() { # one check done
    PASSED=$((PASSED + 1))
    log "ok: $*"
}
fail() {
    printf '[docker-test %4ss] FAILED: %s\n' "$SECONDS" "$*" >&2
    echo "docker-test: $PASSED passed, 1 failed"
    REPORTED=1
    exit 1
}

# --- the tools --------------------------------------------------------------------------------

install_tools() {
    local missing=() p
    for p in podman buildah debootstrap curl python3; do
        command -v "$p" >/dev/null || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

# --- the base image ---------------------------------------------------------------------------

# The rootfs is made once and kept; a half-made one (interrupted run) is made again.
make_rootfs() {
    local mirror keyring try opts=(--variant=minbase)
    [ -f "$ROOTFS.done" ] && [ -d "$ROOTFS" ] && return 0
    mirror=$(python3 docker/apt-sources.py mirror) || fail "no Debian 12 mirror in apt's sources"
    keyring=$(python3 docker/apt-sources.py mirror-keyring)
    [ -n "$keyring" ] && [ -f "$keyring" ] && opts+=(--keyring="$keyring")
    # apt in the image reaches an https mirror only with the CA certificates.
    case "$mirror" in https:*) opts+=(--include=ca-certificates) ;; esac
    log "debootstrap ${opts[*]} bookworm from $mirror (once; kept in $ROOTFS)"
    rm -rf "$ROOTFS" "$ROOTFS.done"
    mkdir -p "$CACHE"
    # A second try for a mirror that dropped a download.
    for try in 1 2; do
        rm -rf "$ROOTFS.tmp"
        timeout 1200 debootstrap "${opts[@]}" bookworm "$ROOTFS.tmp" "$mirror" \
            >"$CACHE/debootstrap.log" 2>&1 && break
        tail -20 "$CACHE/debootstrap.log" >&2
        [ $try = 2 ] && fail "debootstrap (log: $CACHE/debootstrap.log)"
        log "debootstrap failed; trying once more"
    done
    slim_rootfs "$ROOTFS.tmp"
    mv "$ROOTFS.tmp" "$ROOTFS"
    touch "$ROOTFS.done"
    podman rmi -f "$ROOTFS_IMAGE" >/dev/null 2>&1 || true
}

# What Debian's slim images leave out: downloaded packages and lists, documentation but the
# copyright files, manual pages and translations (the base keeps leaving them out: base_context).
slim_rootfs() {
    (
        cd "$1"
        rm -f var/cache/apt/archives/*.deb var/cache/apt/*.bin
        find var/lib/apt/lists -maxdepth 1 -type f -delete
        find usr/share/doc -mindepth 2 ! -type d ! -name copyright -delete
        rm -rf usr/share/man/* usr/share/info/* usr/share/locale/* usr/share/lintian/*
    )
}

import_rootfs() {
    podman image exists "$ROOTFS_IMAGE" && return 0
    log "podman import $ROOTFS as $ROOTFS_IMAGE"
    tar -C "$ROOTFS" -c . |
        podman import --quiet --change 'CMD ["bash"]' - "$ROOTFS_IMAGE" >/dev/null
}

# The files laid over the rootfs: this machine's Debian sources (and keyrings and apt proxy),
# and the path exclusions of Debian's slim images. Made on every run, so a changed mirror is
# followed; an unchanged one is a cached layer.
base_context() {
    local ctx=$WORK/base k
    mkdir -p "$ctx/root/etc/apt/sources.list.d" "$ctx/root/etc/apt/apt.conf.d" \
        "$ctx/root/etc/dpkg/dpkg.cfg.d"
    python3 docker/apt-sources.py sources >"$ctx/root/etc/apt/sources.list.d/debian.sources"
    for k in $(python3 docker/apt-sources.py keyrings); do
        [ -f "$k" ] && install -D -m 0644 "$k" "$ctx/root$k"
    done
    apt-config dump | grep -E '^Acquire::(http|https)::Proxy' \
        >"$ctx/root/etc/apt/apt.conf.d/99host-proxy" || true
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
        'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' \
        'path-exclude /usr/share/locale/*' 'path-exclude /usr/share/lintian/*' \
        >"$ctx/root/etc/dpkg/dpkg.cfg.d/docker-slim"
    k='rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb'
    printf '%s\n' "DPkg::Post-Invoke { \"$k /var/cache/apt/*.bin || true\"; };" \
        "APT::Update::Post-Invoke { \"$k /var/cache/apt/*.bin || true\"; };" \
        'Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";' 'Acquire::Languages "none";' \
        'Acquire::Retries "3";' \
        >"$ctx/root/etc/apt/apt.conf.d/docker-clean"
    printf '%s\n' "FROM $ROOTFS_IMAGE" 'COPY root/ /' 'RUN rm -f /etc/apt/sources.list' \
        >"$ctx/Containerfile"
    echo "$ctx"
}

build() { # tag context [podman build arguments...]
    local tag=$1 ctx=$2 start=$SECONDS
    shift 2
    timeout 1800 podman build --isolation=chroot --pull=never --format docker -t "$tag" "$@" \
        "$ctx" >"$WORK/build.log" 2>&1 ||
        { tail -40 "$WORK/build.log" >&2; fail "podman build of $tag"; }
    log "built $tag in $((SECONDS - start)) s ($(podman image inspect --format '{{.Size}}' "$tag" |
        awk '{printf "%.0f MB", $1 / 1e6}'))"
}

# --- running inside the images ----------------------------------------------------------------

json() { # python expression on the JSON document of stdin, bound to d
    python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

# Starts a command in a container in the background; it writes its pid (this machine's: chroot
# isolation makes no pid namespace) to $WORK/share/NAME.pid for stop().
start() { # name container [buildah run options...] -- command...
    local name=$1 ctr=$2
    shift 2
    local opts=()
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
    rm -f "$WORK/share/$name".*
    "${RUN[@]}" -v "$WORK/share:/run/ke-test" "${opts[@]}" "$ctr" -- \
        sh -c 'echo $$ >/run/ke-test/'"$name"'.pid && exec "$@"' sh "$@" \
        >"$WORK/$name.log" 2>&1 &
    BG[$name]=$!
}

wait_ready() { # name file: waits for the ready file its process writes
    for _ in $(seq 300); do
        [ -s "$WORK/share/$2" ] && return 0
        kill -0 "${BG[$1]}" 2>/dev/null || break
        sleep 0.1
    done
    cat "$WORK/$1.log" >&2
    fail "$1 did not become ready"
}

stop() { # name: SIGTERM, then the exit status of its buildah run
    local name=$1 pid rc=0
    [ -n "${BG[$name]:-}" ] || return 0
    pid=$(cat "$WORK/share/$name.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 100); do
        kill -0 "${BG[$name]}" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "${BG[$name]}" 2>/dev/null; then
        [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
        kill -KILL "${BG[$name]}" 2>/dev/null || true
    fi
    wait "${BG[$name]}" || rc=$?
    unset "BG[$name]"
    return $rc
}

cleanup() {
    local rc=$? name
    # A command that failed outside fail() (set -e) still ends with the count line.
    [ -n "$REPORTED" ] || [ $rc = 0 ] || echo "docker-test: $PASSED passed, 1 failed"
    for name in "${!BG[@]}"; do stop "$name" || true; done
    buildah rm "$EMU_CTR" "$RCV_CTR" >/dev/null 2>&1 || true
    [ -n "$WORK" ] && rm -rf "$WORK"
}

# --- the checks -------------------------------------------------------------------------------

check_config() {
    local cfg
    cfg=$(podman image inspect "$IMAGE")
    json 'd[0]["Config"]["User"]' <<<"$cfg" | grep -qx '10001:10001' || fail "USER is not 10001"
    json 'list(d[0]["Config"]["ExposedPorts"])' <<<"$cfg" | grep -q "8080/tcp" ||
        fail "port 8080 is not exposed"
    json 'list(d[0]["Config"]["Volumes"])' <<<"$cfg" | grep -q "'/data'" || fail "no /data volume"
    json 'd[0]["Config"]["Env"]' <<<"$cfg" | grep -q "KEYLESS_EMULATOR_DB=/data/" ||
        fail "the database is not in /data"
    HEALTHCHECK=$(json 'd[0]["Healthcheck"]["Test"][1]' <<<"$cfg")
    [[ $HEALTHCHECK == *"/_emulator/v1/health"* ]] || fail "no HEALTHCHECK on the health endpoint"
    ENTRYPOINT=$(json '" ".join(d[0]["Config"]["Entrypoint"])' <<<"$cfg")
    pass "image config: user 10001, port 8080, volume /data, HEALTHCHECK, entrypoint $ENTRYPOINT"
}

check_runtime_stage() {
    local uid
    uid=$("${RUN[@]}" "$EMU_CTR" -- id -u)
    [ "$uid" = 10001 ] || fail "runs as uid $uid, not 10001"
    "${RUN[@]}" "$EMU_CTR" -- sh -c '! command -v gcc && ! command -v meson' >/dev/null ||
        fail "the build tools are in the runtime image"
    pass "runs as uid 10001; no compiler or meson in the runtime image"
}

# The emulator as the image starts it (entrypoint, environment), but on 127.0.0.1 of this
# machine and on a free port, with the ready file in the shared directory.
start_emulator() {
    # shellcheck disable=SC2086 # the entrypoint is words
    start emulator "$EMU_CTR" -e KEYLESS_EMULATOR_HOST=127.0.0.1 -e KEYLESS_EMULATOR_PORT=0 \
        -e KEYLESS_EMULATOR_READY_FILE=/run/ke-test/emulator.ready -- $ENTRYPOINT
    wait_ready emulator emulator.ready
    BASE=$(cat "$WORK/share/emulator.ready")
    PORT=${BASE##*:}
}

check_health() {
    local out
    out=$("${RUN[@]}" -e KEYLESS_EMULATOR_PORT="$PORT" "$EMU_CTR" -- sh -c "$HEALTHCHECK") ||
        fail "the image's HEALTHCHECK command failed: $out"
    [[ $out == *'"status":"ok"'* ]] || fail "health answered: $out"
    pass "HEALTHCHECK inside the image: $out"
    grep -q "Demo Site" "$WORK/emulator.log" || fail "the demo fixtures were not loaded"
    pass "configured by KEYLESS_EMULATOR_* variables; demo fixtures loaded"
    out=$(curl -fsS "$BASE/") || fail "the dashboard is not served at /"
    [[ $out == *'<!doctype html>'* ]] || fail "/ answered: ${out:0:200}"
    curl -fsS -o /dev/null "$BASE/favicon.ico" || fail "no favicon in the image"
    pass "the dashboard is served at / from the binary"
}

api() { # method path [curl arguments...]
    local m=$1 p=$2
    shift 2
    curl -fsS --max-time 40 -X "$m" "$BASE$p" -H 'Content-Type: application/json' "$@"
}

# A system, a subscription with a known secret, a user created: the receiver must get a
# UserCreated delivery whose signature it verifies.
check_webhook() {
    local sys sid key uid akey token got
    start receiver "$RCV_CTR" -e RECEIVER_HOST=127.0.0.1 -e RECEIVER_PORT=0 \
        -e RECEIVER_READY_FILE=/run/ke-test/receiver.ready -e WEBHOOK_SECRET="$SECRET" \
        -- python3 /usr/local/bin/webhook-receiver
    wait_ready receiver receiver.ready
    RPORT=$(cat "$WORK/share/receiver.ready")
    "${RUN[@]}" -e RECEIVER_PORT="$RPORT" "$RCV_CTR" -- sh -c "$(podman image inspect \
        "$RECEIVER_IMAGE" | json 'd[0]["Healthcheck"]["Test"][1]')" ||
        fail "the receiver's HEALTHCHECK command failed"
    sys=$(api POST /_emulator/v1/systems -d '{"name":"docker-test"}')
    sid=$(json 'd["id"]' <<<"$sys")
    key=$(json 'd["apiKey"]' <<<"$sys")
    uid=$(json 'd["admin"]["userId"]' <<<"$sys")
    akey=$(json 'd["admin"]["accessKey"]' <<<"$sys")
    api POST "/_emulator/v1/systems/$sid/webhook-subscriptions" >/dev/null \
        -d "{\"url\":\"http://127.0.0.1:$RPORT/hooks\",\"secret\":\"$SECRET\"}"
    token=$(api POST /administration/login -H "X-Api-Key: $key" -H "$ACCEPT" \
        -d "{\"userId\":\"$uid\",\"accessKey\":\"$akey\"}" | json 'd["token"]')
    api POST /administration/user -H "X-Api-Key: $key" -H "$ACCEPT" \
        -H "Authorization: Bearer $token" -d '{"role":"USER"}' >/dev/null
    api POST "/_emulator/v1/systems/$sid/webhooks/flush" >/dev/null
    got=$(curl -fsS --max-time 10 "http://127.0.0.1:$RPORT/deliveries" |
        json '[(x["body"]["eventType"], x["signatureValid"]) for x in d]')
    [[ $got == *"('UserCreated', True)"* ]] ||
        fail "the receiver got $got; its log: $(cat "$WORK/receiver.log")"
    SYSTEM_ID=$sid
    pass "webhook: the receiver verified a signed UserCreated delivery ($got)"
}

# SIGTERM (what docker stop sends) ends the emulator cleanly; a new start on the same /data
# volume finds the system made before.
check_restart() {
    stop emulator || fail "the emulator did not exit 0 on SIGTERM: $(tail -5 "$WORK/emulator.log")"
    start_emulator
    api GET "/_emulator/v1/systems/$SYSTEM_ID" >/dev/null ||
        fail "the system did not survive a restart on the /data volume"
    grep -q "already in the database" "$WORK/emulator.log" ||
        fail "the demo fixtures were loaded twice"
    stop emulator || fail "the emulator did not exit 0 on the second SIGTERM"
    pass "SIGTERM stops it with status 0; state survives a restart in /data"
}

main() {
    local lock start=$SECONDS
    trap cleanup EXIT
    install_tools
    mkdir -p "$CACHE"
    exec {lock}>"$CACHE/docker-test.lock"
    flock -w 3600 "$lock" || fail "another docker-test holds $CACHE/docker-test.lock"
    WORK=$(mktemp -d /tmp/ke-docker-test.XXXXXX)
    mkdir -m 0777 "$WORK/share" # written by the images' non-root users
    make_rootfs
    import_rootfs
    build "$BASE_IMAGE" "$(base_context)"
    build "$IMAGE" . -f docker/Dockerfile --build-arg BASE="$BASE_IMAGE"
    build "$RECEIVER_IMAGE" docker/webhook-receiver --build-arg BASE="$BASE_IMAGE"
    check_config
    buildah rm "$EMU_CTR" "$RCV_CTR" >/dev/null 2>&1 || true
    buildah from --pull-never --name "$EMU_CTR" "$IMAGE" >/dev/null
    buildah from --pull-never --name "$RCV_CTR" "$RECEIVER_IMAGE" >/dev/null
    check_runtime_stage
    start_emulator
    check_health
    check_webhook
    stop receiver || true
    check_restart
    log "all checks passed in $((SECONDS - start)) s"
    echo "docker-test: $PASSED passed, 0 failed"
    REPORTED=1
}

main "$@"
