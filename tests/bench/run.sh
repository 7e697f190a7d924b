#!/usr/bin/env bash
# make bench: the emulator's figures next to the bare libraries', measured in one run.
#
# Builds in release mode, starts the emulator on a file database, and drives it with wrk
# (32 connections, sharing the machine's cores) for: GET one locking device (also with 100
# event streams open), a list page of
# 50, POST a user (an insert plus an outbox event); each GET and insert is followed at once
# by the same against a reference server built from the same libraries with no routing or
# auth. Then cold start
# to the ready file (median of 21, new and existing database), idle and peak RSS, and a
# year of a 100-lock, 50-user site with a gateway and autopilot, and the dashboard in chromium
# (page ready, the live list through three autopilot months). Prints one table. Never
# part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
duration=${BENCH_DURATION:-5}
connections=${BENCH_CONNECTIONS:-32}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -f build-release/build.ninja ] || meson setup build-release --buildtype=release >/dev/null
# The reference server is built by meson too, so that it links the very SQLite the emulator
# has compiled in (or the system's, with -Dsqlite=system).
ninja -C build-release keyless-emulator tests/reference_server >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
bin=$root/build-release/keyless-emulator
threads=$(nproc)

rss() { awk -v k="$2:" '$1 == k {print $2 / 1024 " MB"}' "/proc/$1/status"; }

# wrk's answer as "req/s | p50 | p99 | non-2xx"
measure() { # url lua-script
    local out
    out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$2" "$1")
    printf '%s | %s | %s | %s' \
        "$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")" \
        "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
        "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
        "$(awk '/Non-2xx/ {print $NF; found=1} END {if (!found) print 0}' <<<"$out")"
}

start_emulator() { # db
    rm -f "$work/ready"
    "$bin" --db "$1" --port 0 --ready-file "$work/ready" --threads "$threads" \
        --fixtures fixtures/demo.json >/dev/null 2>&1 &
    emulator=$!
    while [ ! -s "$work/ready" ]; do sleep 0.01; done
    url=$(cat "$work/ready")
}

# --- the emulator ----------------------------------------------------------------------
start_emulator "$work/emulator.db"
idle_rss=$(rss "$emulator" VmRSS)
api_key=demo-api-key-7f3c9a1e5b2d4c6a
accept='application/vnd.assaabloy.keyless.administration-2+json'
token=$(curl -s -X POST "$url/administration/login" -H "X-Api-Key: $api_key" -H "Accept: $accept" \
    -H 'Content-Type: application/json' \
    -d '{"userId":"0b1f6a52-2d4e-4c8a-9f17-6e3b5a9d1c20","accessKey":"ZGVtby1hZG1pbi1hY2Nlc3Mta2V5LTAwMDAwMDA="}' |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
for i in $(seq 60); do
    curl -s -o /dev/null -X POST "$url/administration/locking-device" -H "X-Api-Key: $api_key" \
        -H "Accept: $accept" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d "{\"name\":\"Bench lock $i\"}"
done
cat >"$work/admin.lua" <<LUA
wrk.headers["X-Api-Key"] = "$api_key"
wrk.headers["Accept"] = "$accept"
wrk.headers["Authorization"] = "Bearer $token"
LUA
cat "$work/admin.lua" >"$work/post_user.lua"
cat >>"$work/post_user.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"role":"USER"}'
wrk.headers["Content-Type"] = "application/json"
LUA
printf 'wrk.method = "POST"\nwrk.body = "{}"\n' >"$work/post.lua"
: >"$work/get.lua"
lock=1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c51

# --- the bare reference, measured right after the emulator on each request ---------------
# The machine's speed drifts within minutes: each ratio's two figures are taken seconds
# apart, with both servers up and the one not measured idle.
rm -f "$work/port"
build-release/tests/reference_server "$work/reference.db" "$work/port" "$threads" &
reference=$!
while [ ! -s "$work/port" ]; do sleep 0.01; done
ref_url="http://127.0.0.1:$(cat "$work/port")"

emu_get=$(measure "$url/administration/locking-device/$lock" "$work/admin.lua")
ref_get=$(measure "$ref_url/item/item-1" "$work/get.lua")
# The same GET while 100 event streams of the demo system wait (parked, on no worker thread).
system=5d3a5d9e-6b0f-4c1e-9a51-0d3f1b7c2a10
streams=()
for i in $(seq 100); do
    curl -sN "$url/_emulator/v1/systems/$system/events/stream" >/dev/null &
    streams+=($!)
done
until curl -s "$url/_emulator/v1/metrics" | grep -q '^keyless_emulator_event_streams 100$'; do
    sleep 0.05
done
emu_get_streams=$(measure "$url/administration/locking-device/$lock" "$work/admin.lua")
kill "${streams[@]}"; wait "${streams[@]}" 2>/dev/null || true
emu_list=$(measure "$url/administration/locking-device?limit=50" "$work/admin.lua")
emu_post=$(measure "$url/administration/user" "$work/post_user.lua")
ref_post=$(measure "$ref_url/item" "$work/post.lua")
peak_rss=$(rss "$emulator" VmHWM)
kill "$emulator" "$reference"; wait "$emulator" "$reference" || true

# --- cold start: exec to ready file, timed with inotify (tests/bench/cold_start.c) ----------
cc -O2 -std=c11 -o "$work/cold_start" tests/bench/cold_start.c
read -r cold_fresh cold_fresh_min cold_fresh_max < <("$work/cold_start" "$bin" 21 fresh)
read -r cold_existing _ _ < <("$work/cold_start" "$bin" 21 existing)
# The bare server, spawned and watched the same way right after, for the ratio.
read -r cold_bare _ _ < <("$work/cold_start" "$root/build-release/tests/reference_server" 21 fresh reference)

# --- a simulated year --------------------------------------------------------------------
# Three runs, the median reported: on a shared virtual machine one run can take a third
# longer than the next with the same binary.
year="(bench_advance not built)"
if ninja -C build-release tests/bench_advance >/dev/null 2>&1; then
    for run in 1 2 3; do
        KEYLESS_EMULATOR_BIN="$bin" BENCH_LOCKS=100 BENCH_USERS=50 BENCH_DAYS=365 \
            build-release/tests/bench_advance >"$work/year$run" 2>&1 || true
    done
    walls=$(awk '/wall seconds/ {print $3}' "$work"/year? | sort -n | tr '\n' ' ')
    median=$(awk '/wall seconds/ {print $3}' "$work"/year? | sort -n | sed -n 2p)
    year="median $median s of 3 runs ($walls s); $(grep -h -m1 -A4 "$median" "$work"/year? |
        tail -n 4 | tr -s ' ' | tr '\n' ';')"
fi

# --- certificates and a generated fleet ---------------------------------------------------
# One certificate (tests/bench/bench_ca.c), then a 10,000-lock, 5,000-user, 500-gateway fleet
# (docs/fixtures.md) loaded at start from a fixture on a new file database: exec to ready file
# (the load finishes before the server reports ready), and the resident memory then.
ninja -C build-release tests/bench_ca >/dev/null
ca=$(build-release/tests/bench_ca | awk '{printf "%s%s %s us", (NR > 1 ? ", " : ""), $2, $3}')
cat >"$work/fleet.json" <<'JSON'
{"systems": [{"id": "6f0e7c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b", "name": "Fleet",
  "apiKey": "fleet-api-key-0123456789",
  "admin": {"userId": "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "accessKey": "ZmxlZXQtYWRtaW4tYWNjZXNzLWtleS0wMDAwMDA="},
  "generate": {"users": 5000, "lockingDevices": 10000, "gatewayDevices": 500,
               "permissionsPerUser": 2}}]}
JSON
rm -f "$work/ready" "$work/fleet.db"
fleet_start=$(date +%s.%N)
"$bin" --db "$work/fleet.db" --port 0 --ready-file "$work/ready" --threads "$threads" --seed 1 \
    --fixtures "$work/fleet.json" >/dev/null 2>&1 &
fleet_pid=$!
while [ ! -s "$work/ready" ]; do sleep 0.01; done
fleet_load=$(awk -v a="$fleet_start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')
fleet_rss=$(rss "$fleet_pid" VmRSS)
fleet_hwm=$(rss "$fleet_pid" VmHWM)
kill "$fleet_pid"; wait "$fleet_pid" || true

# --- the dashboard in chromium (tests/bench/dashboard.js, the web suite's Node packages) -----
dashboard=$(KEYLESS_EMULATOR_BIN="$bin" CONTRACT_WORK_DIR="$root/build-release/tests/contract" \
    bash tests/contract/run.sh ../bench/dashboard.js 2>&1 || echo "dashboard: failed")

ratio() { awk -v a="${1%% *}" -v b="${2%% *}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
cat <<TABLE

keyless-emulator benchmark ($(nproc) cores, wrk -t2 -c$connections -d${duration}s on the same machine)

| measurement | req/s | p50 | p99 | non-2xx | vs bare |
| --- | --- | --- | --- | --- | --- |
| emulator GET /locking-device/{id} | $emu_get | $(ratio "$emu_get" "$ref_get") |
| the same, 100 event streams open | $emu_get_streams | $(ratio "$emu_get_streams" "$ref_get") |
| emulator GET /locking-device?limit=50 | $emu_list | |
| emulator POST /user (insert + event) | $emu_post | $(ratio "$emu_post" "$ref_post") |
| bare GET (primary key, json-c) | $ref_get | 1.00 |
| bare POST (insert) | $ref_post | 1.00 |

cold start to ready file (median of 21): $cold_fresh ms with a new database (min $cold_fresh_min, max $cold_fresh_max), $cold_existing ms with an existing one; the bare server $cold_bare ms with a new database, ratio $(ratio "$cold_fresh" "$cold_bare")
RSS idle: $idle_rss, peak under load: $peak_rss
year of a 100-lock, 50-user site with a gateway and autopilot: $year
certificate issue (ca_issue): $ca
generated fleet (10,000 locks, 5,000 users, 500 gateways, file database): loaded in $fleet_load s, RSS $fleet_rss (peak $fleet_hwm)
$dashboard
TABLE
