#!/usr/bin/env bash
# Switchyard's load benchmark: what the gateway adds on top of its upstream, side by side with
#   direct      the nginx mock upstream itself             (no hop: the floor)
#   nginx       nginx as a plain keepalive reverse proxy   (the cheapest real hop: the limit)
#   litellm     the LiteLLM proxy, 2 workers               (the peer)
#   switchyard  this checkout's release build
# driven by wrk at 1, 16 and 64 connections with a plain and a streamed chat request, and, when
# asked (CASES=slowstreams), 5,000 streams held open at once against a slow upstream.
#
# One command does everything: installs what is missing (bench/setup.sh), builds the release
# binary, starts every server as the leader of its own process group on 127.0.0.1 (ports
# 18100-18199), checks one answer per target, runs the load, writes
# bench/results/<UTC stamp>/report.md, and stops exactly the process groups it started.
#
#   bench/run.sh                                              # everything (about 6 minutes)
#   TARGETS="nginx switchyard" CONNS=64 DURATION=5 bench/run.sh
#   CASES=slowstreams bench/run.sh                            # only the 5,000-stream case
#   CASES="nonstream stream anthropic anthropic-stream" bench/run.sh   # + the translated case
# Knobs: see bench/README.md.
set -euo pipefail
set +m   # no job control: a background child stays in our group, so setsid makes it a group leader

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"

# ---------------------------------------------------------------- knobs
TARGETS=${TARGETS:-"direct nginx litellm switchyard"}
CASES=${CASES:-"nonstream stream"}
CONNS=${CONNS:-"1 16 64"}
DURATION=${DURATION:-10}          # seconds measured per cell
WARMUP=${WARMUP:-3}               # seconds of unmeasured load before each cell
SETTLE_MAX=${SETTLE_MAX:-30}      # seconds at most to wait for the other targets to go idle first
THREADS=${THREADS:-2}             # wrk threads (capped at the connection count)
WRK_TIMEOUT=${WRK_TIMEOUT:-30s}   # slow answers stay in the percentiles instead of vanishing
MOCK_PORT=${MOCK_PORT:-18101}
PROXY_PORT=${PROXY_PORT:-18102}
LITELLM_PORT=${LITELLM_PORT:-18103}
SWITCHYARD_PORT=${SWITCHYARD_PORT:-18104}
SLOW_MOCK_PORT=${SLOW_MOCK_PORT:-18105}
MOCK_WORKERS=${MOCK_WORKERS:-1}
PROXY_WORKERS=${PROXY_WORKERS:-auto}
LITELLM_WORKERS=${LITELLM_WORKERS:-2}
LITELLM_VERSION=${LITELLM_VERSION:-1.108.7}
LITELLM_VENV=${LITELLM_VENV:-"$BENCH_DIR/.venv-litellm"}
SWITCHYARD_BIN=${SWITCHYARD_BIN:-}            # a binary to use as it is (no build)
SWITCHYARD_CONFIG="$BENCH_DIR/switchyard.yaml"  # the run uses a copy with its ports (start_switchyard)
SWITCHYARD_LOG_LEVEL=${SWITCHYARD_LOG_LEVEL:-warning}
INSTALL=${INSTALL:-1}                         # 0: do not run bench/setup.sh
SLOW_STREAMS=${SLOW_STREAMS:-5000}
SLOW_CHUNK_DELAY_MS=${SLOW_CHUNK_DELAY_MS:-100}
SLOW_TARGETS=${SLOW_TARGETS:-switchyard}      # also "direct": the same streams straight at the slow mock
SLOW_TIMEOUT=${SLOW_TIMEOUT:-300}             # seconds per stream, connect to last byte
SLOW_PYTHON=${SLOW_PYTHON:-}                  # the client's interpreter (default: LiteLLM's venv, for uvloop)
BENCH_API_KEY=${BENCH_API_KEY:-sk-bench-5e2d8c1a9f3b4e6d7a0c2b4d6f8e1a3c5b7d9f0e2a4c6b8d}
export BENCH_API_KEY
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR=${RESULTS_DIR:-"$BENCH_DIR/results/$STAMP"}

exec 3>&2   # the terminal's stderr, also inside redirected calls (the exit trap can run in one)
die() { echo "bench/run.sh: $*" >&3; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*" >&3; }
has() { [[ " $1 " == *" $2 "* ]]; }   # has "list" word

# ---------------------------------------------------------------- what this run needs
LOAD_CASES=""; SLOW=0
for c in $CASES; do
  case $c in
    nonstream|stream|anthropic|anthropic-stream) LOAD_CASES="$LOAD_CASES $c" ;;
    slowstreams) SLOW=1 ;;
    *) die "unknown case '$c' (nonstream, stream, anthropic, anthropic-stream, slowstreams)" ;;
  esac
done
LOAD_CASES=${LOAD_CASES# }
for t in $TARGETS; do
  case $t in direct|nginx|litellm|switchyard) ;; *) die "unknown target '$t' (direct, nginx, litellm, switchyard)" ;; esac
done
for t in $SLOW_TARGETS; do
  case $t in direct|switchyard) ;; *) die "unknown slow target '$t' (direct, switchyard)" ;; esac
done
for n in $CONNS $DURATION $WARMUP $THREADS $SLOW_STREAMS $SLOW_CHUNK_DELAY_MS; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "not a whole number: '$n'"
done
[ -n "$LOAD_CASES" ] || [ "$SLOW" = 1 ] || die "no case to run"

need_mock=0; need_proxy=0; need_litellm=0; need_switchyard=0; need_slow_mock=0
if [ -n "$LOAD_CASES" ]; then
  need_mock=1
  has "$TARGETS" nginx && need_proxy=1
  has "$TARGETS" litellm && need_litellm=1
  has "$TARGETS" switchyard && need_switchyard=1
fi
if [ "$SLOW" = 1 ]; then
  need_slow_mock=1
  has "$SLOW_TARGETS" switchyard && need_switchyard=1
fi

# ---------------------------------------------------------------- guards
PORTS=""
[ "$need_mock" = 1 ] && PORTS="$PORTS $MOCK_PORT"
[ "$need_proxy" = 1 ] && PORTS="$PORTS $PROXY_PORT"
[ "$need_litellm" = 1 ] && PORTS="$PORTS $LITELLM_PORT"
[ "$need_switchyard" = 1 ] && PORTS="$PORTS $SWITCHYARD_PORT"
[ "$need_slow_mock" = 1 ] && PORTS="$PORTS $SLOW_MOCK_PORT"
for p in $MOCK_PORT $PROXY_PORT $LITELLM_PORT $SWITCHYARD_PORT $SLOW_MOCK_PORT; do
  [[ "$p" =~ ^[0-9]+$ ]] && [ "$p" -ge 18100 ] && [ "$p" -le 18199 ] || die "port $p outside 18100-18199"
done
dups=$(echo $MOCK_PORT $PROXY_PORT $LITELLM_PORT $SWITCHYARD_PORT $SLOW_MOCK_PORT | tr ' ' '\n' | sort | uniq -d)
[ -z "$dups" ] || die "port $dups given twice"
port_busy() { ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }
check_ports() {   # nothing of ours listens yet, so a taken port is someone else's
  local p
  for p in $PORTS; do port_busy "$p" && die "port $p is already in use: not ours, not touching it"; done
  return 0
}
check_ports   # before the build, to fail fast; again right before the servers start

# ---------------------------------------------------------------- install and build
if [ "$INSTALL" = 1 ]; then
  SKIP_LITELLM=$((1 - need_litellm)) LITELLM_VERSION="$LITELLM_VERSION" LITELLM_VENV="$LITELLM_VENV" \
    "$BENCH_DIR/setup.sh"
fi
command -v wrk >/dev/null || die "wrk not found (bench/setup.sh installs it)"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || die "nginx not found (bench/setup.sh installs it)"
command -v curl >/dev/null || die "curl not found"
[ "$need_litellm" = 0 ] || [ -x "$LITELLM_VENV/bin/litellm" ] || die "no LiteLLM in $LITELLM_VENV (bench/setup.sh)"

SWITCHYARD_BUILT="no (SWITCHYARD_BIN given)"
if [ "$need_switchyard" = 1 ] || [ "$need_slow_mock" = 1 ]; then
  if [ -z "$SWITCHYARD_BIN" ]; then
    log "building switchyard (release; SwiftPM waits here if another build holds the lock)"
    (cd "$REPO_DIR" && swift build -c release --product switchyard) >&2 \
      || die "the release build failed (SWITCHYARD_BIN=path/to/switchyard runs a binary you built)"
    SWITCHYARD_BIN="$(cd "$REPO_DIR" && swift build -c release --show-bin-path)/switchyard"
    SWITCHYARD_BUILT="yes, swift build -c release --product switchyard"
  fi
  [ -x "$SWITCHYARD_BIN" ] || die "no switchyard binary at $SWITCHYARD_BIN"
fi

check_ports

# file descriptors: each held stream is a client socket, a gateway socket and an upstream socket
want_fds=$(( SLOW == 1 ? 3 * SLOW_STREAMS + 4096 : 8192 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want_fds" ]; then
  hard=$(ulimit -Hn)
  if [ "$hard" = unlimited ] || [ "$hard" -ge "$want_fds" ]; then ulimit -n "$want_fds"; else ulimit -n "$hard"; fi
  [ "$SLOW" = 0 ] || [ "$(ulimit -n)" -ge "$want_fds" ] \
    || die "ulimit -n is $(ulimit -n) (hard $hard); $SLOW_STREAMS streams need about $want_fds"
fi

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-bench.XXXXXX")
mkdir -p "$RESULTS_DIR"
# run a private copy, so a rebuild in the checkout during the run cannot swap the binary
SWITCHYARD_EXE=""
if [ -n "$SWITCHYARD_BIN" ]; then
  SWITCHYARD_EXE="$RUN_DIR/switchyard"
  cp "$SWITCHYARD_BIN" "$SWITCHYARD_EXE" || { rm -rf "$RUN_DIR"; die "cannot copy $SWITCHYARD_BIN"; }
fi
TSV="$RESULTS_DIR/results.tsv"
SLOW_TSV="$RESULTS_DIR/slowstreams.tsv"

# ---------------------------------------------------------------- process groups we own
declare -A PGID=()
start_group() {   # start_group NAME LOGFILE CMD...: CMD becomes the leader of a new process group
  local name=$1 logf=$2; shift 2
  setsid "$@" >"$logf" 2>&1 &
  local pid=$! pg
  sleep 0.1
  pg=$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ' || true)
  if [ -n "$pg" ] && [ "$pg" != "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    die "$name did not become a process-group leader (pgid $pg, pid $pid)"
  fi
  PGID[$name]=$pid
  log "started $name (process group $pid)"
}
stop_group() {
  local name=$1 pg=${PGID[$1]:-} i
  [ -n "$pg" ] || return 0
  kill -TERM -- "-$pg" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 -- "-$pg" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$pg" 2>/dev/null || true
  wait "$pg" 2>/dev/null || true
  unset "PGID[$name]"
  log "stopped $name (process group $pg)"
}
SAMPLER_PID=""; CHILD_PID=""; SPLITTER_PID=""
cleanup() {
  local rc=$? n
  exec >&3 2>&3
  [ -z "$CHILD_PID" ] || kill "$CHILD_PID" 2>/dev/null || true
  [ -z "$SPLITTER_PID" ] || { pkill -TERM -P "$SPLITTER_PID" 2>/dev/null; kill "$SPLITTER_PID" 2>/dev/null; } || true
  [ -z "$SAMPLER_PID" ] || kill "$SAMPLER_PID" 2>/dev/null || true
  for n in switchyard litellm proxy mock slowmock; do stop_group "$n"; done
  cp -f "$RUN_DIR"/*.conf "$RUN_DIR"/*.log "$RUN_DIR"/*.yaml "$RESULTS_DIR"/ 2>/dev/null || true
  rm -rf "$RUN_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- measuring a process group
CLK_TCK=$(getconf CLK_TCK)
MY_PGID=$(ps -o pgid= -p $$ | tr -d ' ')
group_cpu_ticks() { python3 "$BENCH_DIR/lib/procstat.py" group-cpu "$1"; }   # utime+stime ticks of group $1
group_rss_kb() { python3 "$BENCH_DIR/lib/procstat.py" group-rss "$1"; }
start_sampler() {   # start_sampler PGID OUTFILE: the group's largest RSS (KiB), sampled every 0.2 s
  echo 0 >"$2"
  python3 "$BENCH_DIR/lib/rss_peak.py" "$1" "$2" 0.2 & SAMPLER_PID=$!
}
stop_sampler() {
  [ -z "$SAMPLER_PID" ] || { kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; }
  SAMPLER_PID=""
}
run_child() {   # run_child CMD...: runs CMD in the background and waits, so INT/TERM reach the trap at once
  "$@" & CHILD_PID=$!
  local rc=0
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return "$rc"
}
proc_snapshot() { python3 "$BENCH_DIR/lib/procstat.py" snapshot; }   # "pid pgid ticks"; kernel threads have pgid 0
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4}' /proc/stat; }
foreign_cpu_pct() {  # foreign_cpu_pct SNAP0 SNAP1 BUSY_TICKS REAPED_CPU_S SECONDS: CPU of processes we did not start, % of a core
  # machine-wide busy time minus our live process groups (servers, this script, the sampler),
  # kernel threads, and the children this script reaped during the cell (wrk and helpers)
  local own="$MY_PGID ${PGID[*]:-}"
  awk -v own="$own" -v hz="$CLK_TCK" -v busy="$3" -v reaped="$4" -v secs="$5" '
    BEGIN { n = split(own, o, " "); for (i = 1; i <= n; i++) mine[o[i]] = 1 }
    FNR == NR { t0[$1] = $3; next }
    ($1 in t0) && (($2 in mine) || $2 == 0) { d += $3 - t0[$1] }
    END { f = (busy - d) / hz - reaped; if (f < 0) f = 0; printf "%.0f", f / secs * 100 }' "$1" "$2"
}
conn_split() {   # wrk's connections to local port $1 per server process, e.g. "38/26"
  local wrkports
  wrkports=$(ss -tnpH state established "( dport = :$1 )" 2>/dev/null | grep '"wrk"' \
    | awk '{n = split($3, a, ":"); print a[n]}' | paste -sd' ' -)
  ss -tnpH state established "( sport = :$1 )" 2>/dev/null \
    | awk -v ports="$wrkports" '
        BEGIN { n = split(ports, p, " "); for (i = 1; i <= n; i++) w[p[i]] = 1 }
        { k = split($4, a, ":"); if (!(a[k] in w)) next
          if (match($0, /pid=[0-9]+/)) c[substr($0, RSTART + 4, RLENGTH - 4)]++ }
        END { for (pid in c) print c[pid] }' | sort -rn | paste -sd/ - || true
}
wait_http() {   # wait_http URL SECONDS [curl args...]
  local url=$1 secs=$2; shift 2
  local deadline=$(( $(date +%s) + secs ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    curl -sf -o /dev/null --max-time 2 "$@" "$url" && return 0
    sleep 0.25
  done
  return 1
}

# ---------------------------------------------------------------- servers
start_mock() {
  python3 "$BENCH_DIR/lib/gen_nginx_conf.py" --out-dir "$RUN_DIR" --mock-port "$MOCK_PORT" \
    --proxy-port "$PROXY_PORT" --mock-workers "$MOCK_WORKERS" --proxy-workers "$PROXY_WORKERS"
  start_group mock "$RUN_DIR/mock-stdout.log" "$NGINX" -p "$RUN_DIR/" -e mock-error.log -c mock.conf
  wait_http "http://127.0.0.1:$MOCK_PORT/health" 10 || die "the nginx mock did not come up"
}
start_proxy() {
  start_group proxy "$RUN_DIR/proxy-stdout.log" "$NGINX" -p "$RUN_DIR/" -e proxy-error.log -c proxy.conf
  wait_http "http://127.0.0.1:$PROXY_PORT/health" 10 || die "the nginx proxy did not come up"
}
start_slow_mock() {
  start_group slowmock "$RUN_DIR/slowmock.log" "$SWITCHYARD_EXE" mock-upstream --host 127.0.0.1 --port "$SLOW_MOCK_PORT"
  wait_http "http://127.0.0.1:$SLOW_MOCK_PORT/v1/models" 20 || die "switchyard mock-upstream did not come up"
}
LITELLM_CMD_DESC=""
start_litellm() {
  sed "s/127\.0\.0\.1:18101/127.0.0.1:$MOCK_PORT/g" "$BENCH_DIR/litellm/config.yaml" >"$RUN_DIR/litellm-config.yaml"
  local t0=$SECONDS
  start_group litellm "$RUN_DIR/litellm.log" env \
    LITELLM_TELEMETRY=False LITELLM_LOG=ERROR LITELLM_LOCAL_MODEL_COST_MAP=True LITELLM_MASTER_KEY="$BENCH_API_KEY" \
    "$LITELLM_VENV/bin/litellm" --config "$RUN_DIR/litellm-config.yaml" \
    --host 127.0.0.1 --port "$LITELLM_PORT" --num_workers "$LITELLM_WORKERS"
  LITELLM_CMD_DESC="LITELLM_TELEMETRY=False LITELLM_LOG=ERROR LITELLM_LOCAL_MODEL_COST_MAP=True LITELLM_MASTER_KEY=<key> litellm --config bench/litellm/config.yaml --host 127.0.0.1 --port $LITELLM_PORT --num_workers $LITELLM_WORKERS"
  wait_http "http://127.0.0.1:$LITELLM_PORT/health/liveliness" 180 \
    || { tail -30 "$RUN_DIR/litellm.log" >&3; die "LiteLLM did not come up"; }
  log "LiteLLM ready after $((SECONDS - t0)) s"
}
start_switchyard() {
  # bench/switchyard.yaml also serves ../shared/bench (mock on 18001), so the run uses a copy
  # with this run's mock port, plus the slow model for CASES=slowstreams when the file lacks it
  SWITCHYARD_CONFIG="$RUN_DIR/switchyard.yaml"
  awk -v mock="127.0.0.1:$MOCK_PORT" -v slow="http://127.0.0.1:$SLOW_MOCK_PORT/fault/chunk_delay_ms=$SLOW_CHUNK_DELAY_MS/v1" '
    /gpt-4o-mini-slow/ { has_slow = 1 }
    { lines[NR] = $0 }
    END {
      for (i = 1; i <= NR; i++) {
        line = lines[i]
        gsub(/127\.0\.0\.1:18[01]01\//, mock "/", line)   # 18001 (the shared bench) or 18101
        print line
        if (line == "model_list:" && !has_slow) {
          print "  # added by bench/run.sh for CASES=slowstreams: switchyard mock-upstream, paced events"
          print "  - model_name: gpt-4o-mini-slow"
          print "    litellm_params:"
          print "      model: openai/gpt-4o-mini"
          print "      api_base: " slow
          print "      api_key: sk-mock"
        }
      }
    }' "$BENCH_DIR/switchyard.yaml" >"$SWITCHYARD_CONFIG"
  "$SWITCHYARD_EXE" check-config "$SWITCHYARD_CONFIG" >"$RUN_DIR/check-config.log" 2>&1 \
    || { cat "$RUN_DIR/check-config.log" >&3; die "switchyard check-config rejected $SWITCHYARD_CONFIG"; }
  start_group switchyard "$RUN_DIR/switchyard.log" "$SWITCHYARD_EXE" serve --config "$SWITCHYARD_CONFIG" \
    --host 127.0.0.1 --port "$SWITCHYARD_PORT" --log-level "$SWITCHYARD_LOG_LEVEL"
  wait_http "http://127.0.0.1:$SWITCHYARD_PORT/health/liveliness" 60 \
    || { tail -30 "$RUN_DIR/switchyard.log" >&3; die "switchyard did not come up"; }
  log "switchyard answers on 127.0.0.1:$SWITCHYARD_PORT"
}

[ "$need_mock" = 1 ] && start_mock
[ "$need_slow_mock" = 1 ] && start_slow_mock
[ "$need_proxy" = 1 ] && start_proxy
[ "$need_litellm" = 1 ] && start_litellm
[ "$need_switchyard" = 1 ] && start_switchyard

target_url() {   # target_url TARGET CASE
  local base path=/v1/chat/completions
  case $1 in
    direct) base="http://127.0.0.1:$MOCK_PORT" ;;
    nginx) base="http://127.0.0.1:$PROXY_PORT" ;;
    litellm) base="http://127.0.0.1:$LITELLM_PORT" ;;
    switchyard) base="http://127.0.0.1:$SWITCHYARD_PORT" ;;
  esac
  # the mock (and a transparent proxy in front of it) picks the SSE answer by path; the
  # gateways pick it by model name (gpt-4o-mini-stream routes to the mock's /stream/v1)
  if [ "$2" = stream ] && { [ "$1" = direct ] || [ "$1" = nginx ]; }; then path=/stream/v1/chat/completions; fi
  echo "$base$path"
}
case_body() {
  case $1 in
    stream) echo "$BENCH_DIR/fixtures/request_stream.json" ;;
    anthropic) echo "$BENCH_DIR/fixtures/request_anthropic.json" ;;
    anthropic-stream) echo "$BENCH_DIR/fixtures/request_anthropic_stream.json" ;;
    *) echo "$BENCH_DIR/fixtures/request.json" ;;
  esac
}
case_kind() { case $1 in stream|anthropic-stream) echo stream ;; *) echo nonstream ;; esac; }
# The translated cases only mean something for a gateway that translates: Switchyard.
case_targets() {
  case $1 in
    anthropic|anthropic-stream) if has "$TARGETS" switchyard; then echo switchyard; fi ;;
    *) echo "$TARGETS" ;;
  esac
}
target_group() {
  case $1 in
    direct) echo "${PGID[mock]:-}" ;;
    nginx) echo "${PGID[proxy]:-}" ;;
    litellm) echo "${PGID[litellm]:-}" ;;
    switchyard) echo "${PGID[switchyard]:-}" ;;
  esac
}

# Waits (at most SETTLE_MAX s) until the targets other than $1 are idle: after wrk stops,
# LiteLLM goes on working through the requests it had queued (seconds of them at 64
# connections), and that CPU would land in the next target's cell. Prints the seconds waited.
settle_others() {
  local t=$1 other pg busy a b start=$SECONDS waited=0
  while [ $((SECONDS - start)) -lt "$SETTLE_MAX" ]; do
    busy=0
    for other in $TARGETS; do
      [ "$other" = "$t" ] && continue
      [ "$other" = direct ] && continue   # the mock serves every target: busy only under load
      pg=$(target_group "$other")
      [ -n "$pg" ] || continue
      a=$(group_cpu_ticks "$pg"); sleep 0.25; b=$(group_cpu_ticks "$pg")
      # more than 2 ticks (20 ms) in 250 ms: still working
      [ $((b - a)) -gt 2 ] && busy=1
    done
    [ "$busy" = 0 ] && break
    waited=1
  done
  [ "$waited" = 0 ] || echo $((SECONDS - start))
}

# ---------------------------------------------------------------- one checked answer per target and case
check_one() {   # check_one LABEL KIND URL BODY [EXPECTED_CONTENT]
  local label=$1 kind=$2 url=$3 body=$4 out code
  out="$RESULTS_DIR/sample-$label"
  code=$(curl -s -o "$out.body" -D "$out.headers" -w '%{http_code}' --max-time 60 -X POST \
    -H 'Content-Type: application/json' -H "Authorization: Bearer $BENCH_API_KEY" --data @"$body" "$url") || code=000
  [ "$code" = 200 ] || die "$label: HTTP $code from $url: $(head -c 300 "$out.body" 2>/dev/null)"
  (cd "$BENCH_DIR/lib" && python3 check_response.py "$kind" "$out.body" ${5:+"$5"}) \
    || die "$label: wrong answer from $url (see $out.body)"
}
for c in $LOAD_CASES; do
  for t in $(case_targets "$c"); do check_one "$t-$c" "$(case_kind "$c")" "$(target_url "$t" "$c")" "$(case_body "$c")"; done
done
# the slow mock echoes the last user message
SLOW_EXPECT="Echo: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["messages"][-1]["content"], end="")' "$BENCH_DIR/fixtures/request_slow.json")"
slow_url() {
  case $1 in
    direct) echo "http://127.0.0.1:$SLOW_MOCK_PORT/fault/chunk_delay_ms=$SLOW_CHUNK_DELAY_MS/v1/chat/completions" ;;
    switchyard) echo "http://127.0.0.1:$SWITCHYARD_PORT/v1/chat/completions" ;;
  esac
}
if [ "$SLOW" = 1 ]; then
  if [ -z "$SLOW_PYTHON" ]; then
    SLOW_PYTHON=python3
    [ -x "$LITELLM_VENV/bin/python" ] && "$LITELLM_VENV/bin/python" -c 'import uvloop' 2>/dev/null \
      && SLOW_PYTHON="$LITELLM_VENV/bin/python"
  fi
  for t in $SLOW_TARGETS; do check_one "$t-slowstreams" stream "$(slow_url "$t")" "$BENCH_DIR/fixtures/request_slow.json" "$SLOW_EXPECT"; done
fi
log "sanity requests OK"

# ---------------------------------------------------------------- environment record
{
  echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO_DIR" status --porcelain -- Sources Package.swift 2>/dev/null | grep -q . && echo ' + uncommitted changes under Sources/')"
  echo "host: $(uname -srm); $(nproc) cores; $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "cpu: $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//')"
  echo "wrk: $(wrk --version 2>&1 | head -1 | cut -c1-60)"
  echo "nginx: $("$NGINX" -v 2>&1)"
  [ "$need_litellm" = 0 ] || echo "litellm: $("$LITELLM_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("litellm"))'), workers=$LITELLM_WORKERS; $LITELLM_CMD_DESC"
  [ "$need_switchyard" = 0 ] || echo "switchyard: ${SWITCHYARD_BIN#$REPO_DIR/} (sha256 $(sha256sum "$SWITCHYARD_EXE" | cut -c1-12)) serve --config <run>/switchyard.yaml (bench/switchyard.yaml, mock port $MOCK_PORT, + gpt-4o-mini-slow) --host 127.0.0.1 --port $SWITCHYARD_PORT --log-level $SWITCHYARD_LOG_LEVEL (built: $SWITCHYARD_BUILT)"
  [ -z "$LOAD_CASES" ] || echo "load: TARGETS='$TARGETS' CASES='$LOAD_CASES' CONNS='$CONNS' DURATION=${DURATION}s WARMUP=${WARMUP}s THREADS=$THREADS MOCK_WORKERS=$MOCK_WORKERS PROXY_WORKERS=$PROXY_WORKERS"
  [ "$SLOW" = 0 ] || echo "slowstreams: SLOW_TARGETS='$SLOW_TARGETS' SLOW_STREAMS=$SLOW_STREAMS SLOW_CHUNK_DELAY_MS=$SLOW_CHUNK_DELAY_MS client=$SLOW_PYTHON ($("$SLOW_PYTHON" -c 'import importlib.util as u; print("uvloop" if u.find_spec("uvloop") else "asyncio")')) ulimit -n $(ulimit -n)"
  echo "loadavg_before: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$RESULTS_DIR/env.txt"
cat "$RESULTS_DIR/env.txt" >&2

# ---------------------------------------------------------------- wrk load
[ -z "$LOAD_CASES" ] || printf 'case\tconns\ttarget\trps\tp50_ms\tp90_ms\tp99_ms\tmax_ms\terrors\tcpu_ms_per_req\tpeak_rss_mb\tforeign_cpu_pct\tconn_split\n' >"$TSV"
# Connections outermost, and each translated case right after its plain one: the machine's speed
# drifts by 15-20 % over minutes, so a ratio of two cells is only as good as their distance in time.
# The report groups the rows by case again.
CELL_ORDER=""
for c in nonstream anthropic stream anthropic-stream; do has "$LOAD_CASES" "$c" && CELL_ORDER="$CELL_ORDER $c"; done
for n in $CONNS; do
  th=$(( n < THREADS ? n : THREADS ))
  for c in $CELL_ORDER; do
    body=$(case_body "$c")
    for t in $(case_targets "$c"); do
      url=$(target_url "$t" "$c")
      settled=$(settle_others "$t")
      [ -z "$settled" ] || log "waited ${settled}s for the other targets to go idle before $c c=$n $t"
      if [ "$WARMUP" -gt 0 ]; then
        BENCH_BODY="$body" run_child wrk -t"$th" -c"$n" -d"${WARMUP}s" --timeout "$WRK_TIMEOUT" \
          -s "$BENCH_DIR/lib/chat.lua" "$url" >/dev/null 2>&1 || true
      fi
      pg=$(target_group "$t")
      start_sampler "$pg" "$RUN_DIR/peak"
      raw="$RESULTS_DIR/wrk-$c-c$n-$t.txt"
      port=$(echo "$url" | sed -E 's#^http://[^/]*:([0-9]+)/.*#\1#')
      rm -f "$RUN_DIR/split"
      # CPU of everything this script reaps during the cell (wrk, the connection sampler, the
      # small helpers) is ours, not foreign: `times` reports it once those children are reaped
      times >"$RUN_DIR/times0"
      cpu0=$(group_cpu_ticks "$pg")
      proc_snapshot >"$RUN_DIR/snap0"
      busy0=$(busy_ticks)
      ( sleep "$(awk -v d="$DURATION" 'BEGIN{print d/2}')"; conn_split "$port" >"$RUN_DIR/split" ) &
      SPLITTER_PID=$!
      BENCH_BODY="$body" run_child wrk -t"$th" -c"$n" -d"${DURATION}s" --timeout "$WRK_TIMEOUT" --latency \
        -s "$BENCH_DIR/lib/chat.lua" "$url" >"$raw" 2>&1 || true
      wait "$SPLITTER_PID" 2>/dev/null || true
      SPLITTER_PID=""
      busy1=$(busy_ticks)
      proc_snapshot >"$RUN_DIR/snap1"
      cpu1=$(group_cpu_ticks "$pg")
      times >"$RUN_DIR/times1"
      stop_sampler
      ours=$(awk 'FNR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } print t }' \
        "$RUN_DIR/times0" "$RUN_DIR/times1" | paste -sd' ' | awk '{printf "%.3f", $2 - $1}')
      foreign=$(foreign_cpu_pct "$RUN_DIR/snap0" "$RUN_DIR/snap1" $((busy1 - busy0)) "${ours:-0}" "$DURATION")
      peak=$(awk '{printf "%.0f", $1/1024}' "$RUN_DIR/peak")
      line=$(grep '^RESULT ' "$raw" || true)
      [ -n "$line" ] || { tail -5 "$raw" >&2; die "wrk printed no RESULT line for $t/$c/c$n"; }
      get() { echo "$line" | tr ' ' '\n' | awk -F= -v k="$1" '$1==k {print $2}'; }
      req=$(get requests)
      errs=$(( $(get err_connect) + $(get err_read) + $(get err_write) + $(get err_status) + $(get err_timeout) ))
      cpu_ms=n/a
      [ "$req" -gt 0 ] && cpu_ms=$(awk -v d=$((cpu1 - cpu0)) -v hz="$CLK_TCK" -v r="$req" 'BEGIN{printf "%.3f", d*1000/hz/r}')
      ms() { awk -v u="$(get "$1")" 'BEGIN{printf "%.3f", u/1000}'; }
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$n" "$t" "$(get rps)" \
        "$(ms p50_us)" "$(ms p90_us)" "$(ms p99_us)" "$(ms max_us)" "$errs" "$cpu_ms" "$peak" "$foreign" \
        "$(cat "$RUN_DIR/split" 2>/dev/null || true)" >>"$TSV"
      log "$c c=$n $t: $(tail -1 "$TSV" | cut -f4-7,9-11 | tr '\t' ' ')"
    done
  done
done

# ---------------------------------------------------------------- held streams against a slow upstream
if [ "$SLOW" = 1 ]; then
  printf 'target\tstreams\tcompleted\tfailed\twall_s\topen_peak\tfirst_byte_p50_ms\tfirst_byte_p99_ms\tstream_p50_ms\tstream_p99_ms\tstream_max_ms\tpeak_rss_mb\trss_before_mb\tcpu_s\tclient\tfailures\n' >"$SLOW_TSV"
  for t in $SLOW_TARGETS; do
    if [ "$t" = switchyard ]; then pg=${PGID[switchyard]}; else pg=${PGID[slowmock]}; fi
    url=$(slow_url "$t")
    path="/${url#http://*/}"
    port=$(echo "$url" | sed -E 's#^http://[^/]*:([0-9]+)/.*#\1#')
    rss0=$(group_rss_kb "$pg")
    cpu0=$(group_cpu_ticks "$pg")
    start_sampler "$pg" "$RUN_DIR/peak"
    log "slowstreams $t: opening $SLOW_STREAMS streams at once (${SLOW_CHUNK_DELAY_MS} ms between events)"
    run_child "$SLOW_PYTHON" "$BENCH_DIR/lib/slowstreams.py" --host 127.0.0.1 --port "$port" --path "$path" \
      --body "$BENCH_DIR/fixtures/request_slow.json" --key "$BENCH_API_KEY" --streams "$SLOW_STREAMS" \
      --timeout "$SLOW_TIMEOUT" --expect "$SLOW_EXPECT" --json "$RESULTS_DIR/slowstreams-$t.json" >/dev/null \
      || die "slowstreams.py failed against $t"
    cpu1=$(group_cpu_ticks "$pg")
    stop_sampler
    python3 - "$RESULTS_DIR/slowstreams-$t.json" "$t" "$(cat "$RUN_DIR/peak")" "$rss0" $((cpu1 - cpu0)) "$CLK_TCK" >>"$SLOW_TSV" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
t, peak_kb, rss0_kb, ticks, hz = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
fails = "; ".join(f"{k}: {v}" for k, v in sorted(s["failures"].items())) or "-"
cells = [t, s["streams"], s["completed"], s["failed"], s["wall_s"], s["open_peak"],
         s["first_byte_ms"]["p50"], s["first_byte_ms"]["p99"], s["stream_ms"]["p50"], s["stream_ms"]["p99"],
         s["stream_ms"]["max"], round(peak_kb / 1024), round(rss0_kb / 1024), round(ticks / hz, 2), s.get("client_loop", "?"), fails]
print("\t".join("n/a" if c is None else str(c) for c in cells))
EOF
    log "slowstreams $t: $(tail -1 "$SLOW_TSV" | cut -f2-6,12 | tr '\t' ' ')"
  done
fi

# ---------------------------------------------------------------- report
args=("$RESULTS_DIR/env.txt")
[ -z "$LOAD_CASES" ] || args+=(--load "$TSV")
[ "$SLOW" = 0 ] || args+=(--slow "$SLOW_TSV")
python3 "$BENCH_DIR/lib/report.py" "${args[@]}" >"$RESULTS_DIR/report.md"
cat "$RESULTS_DIR/report.md"
log "report: $RESULTS_DIR/report.md"
