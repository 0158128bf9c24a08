#!/usr/bin/env bash
# Helpers shared by the start and test scripts.

# Succeeds when the stamp file holds the hash of the given inputs (files or directories).
stamp_is_current() {
  local stamp="$1"; shift
  [[ -f "$stamp" && "$(cat "$stamp")" == "$(inputs_hash "$@")" ]]
}

write_stamp() {
  local stamp="$1"; shift
  mkdir -p "$(dirname "$stamp")"
  inputs_hash "$@" > "$stamp"
}

inputs_hash() {
  find "$@" -type f -not -path '*/node_modules/*' -not -path '*/dist/*' -print0 2>/dev/null \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

# Builds the SPA into apps/web/dist unless its sources are unchanged since the last build.
build_web() {
  local stamp="${CHAOSGATE_ROOT}/.cache/stamps/web-dist"
  local inputs=("${CHAOSGATE_ROOT}/apps/web" "${CHAOSGATE_ROOT}/packages/shared/src")
  if [[ -f "${CHAOSGATE_ROOT}/apps/web/dist/index.html" ]] && stamp_is_current "$stamp" "${inputs[@]}"; then
    return 0
  fi
  echo "[chaosgate] building the web app" >&2
  (cd "${CHAOSGATE_ROOT}" && pnpm --filter @chaosgate/web build >/dev/null)
  write_stamp "$stamp" "${inputs[@]}"
}

# Installs Debian packages that are missing (needs root or sudo); no-op when all are present.
ensure_debian_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "[chaosgate] installing Debian packages: ${missing[*]}" >&2
  local sudo=""
  [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
