#!/usr/bin/env bash
# Installs what bench/run.sh needs, only where it is missing (run.sh calls this itself):
#   wrk and nginx-light from Debian (apt-get; as root, or through sudo),
#   the LiteLLM proxy, pinned, in a virtualenv beside this script (bench/.venv-litellm, git-ignored).
# Knobs: LITELLM_VERSION (default 1.108.7), LITELLM_VENV, SKIP_LITELLM=1 (no LiteLLM at all).
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LITELLM_VERSION=${LITELLM_VERSION:-1.108.7}
LITELLM_VENV=${LITELLM_VENV:-"$BENCH_DIR/.venv-litellm"}
SKIP_LITELLM=${SKIP_LITELLM:-0}

log() { echo "[setup $(date -u +%H:%M:%S)] $*" >&2; }

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
command -v ss >/dev/null || missing+=(iproute2)
command -v setsid >/dev/null || missing+=(util-linux)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "installing from Debian: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$SKIP_LITELLM" != 1 ]; then
  have=""
  [ -x "$LITELLM_VENV/bin/litellm" ] && have=$("$LITELLM_VENV/bin/python" -c \
    'import importlib.metadata as m; print(m.version("litellm"))' 2>/dev/null || true)
  if [ "$have" != "$LITELLM_VERSION" ]; then
    log "installing litellm[proxy]==$LITELLM_VERSION into $LITELLM_VENV (a few minutes the first time)"
    [ -x "$LITELLM_VENV/bin/pip" ] || python3 -m venv "$LITELLM_VENV"
    "$LITELLM_VENV/bin/pip" install -q --upgrade pip
    "$LITELLM_VENV/bin/pip" install -q "litellm[proxy]==$LITELLM_VERSION"
    [ -x "$LITELLM_VENV/bin/litellm" ] || { echo "setup.sh: no litellm executable after install" >&2; exit 1; }
  fi
fi

log "wrk: $(command -v wrk); $(nginx -v 2>&1)"
[ "$SKIP_LITELLM" = 1 ] || log "litellm: $("$LITELLM_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("litellm"))') in $LITELLM_VENV"
