#!/usr/bin/env bash
# Starts chaosgate with its embedded defaults: the SPA and API on http://127.0.0.1:8080,
# embedded PGlite under .data/, seeded local users, and — unless KUBECONFIG is set or chaosgate
# runs inside a cluster — a local control plane (kube-apiserver + etcd) with demo workloads.
#
#   scripts/start.sh                       embedded defaults
#   DATABASE_URL=postgres://… scripts/start.sh
#   KUBECONFIG=~/.kube/config scripts/start.sh   use a real cluster instead of the local one
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
source scripts/lib.sh

export NODE_ENV=production
export PORT="${PORT:-8080}"
export HOST="${HOST:-127.0.0.1}"
export CHAOSGATE_DATA_DIR="${CHAOSGATE_DATA_DIR:-${CHAOSGATE_ROOT}/.data}"
export CHAOSGATE_WEB_DIST="${CHAOSGATE_ROOT}/apps/web/dist"
# Plain HTTP on loopback: a Secure cookie would never come back. Behind TLS, set it to true.
export CHAOSGATE_SECURE_COOKIES="${CHAOSGATE_SECURE_COOKIES:-false}"
mkdir -p "${CHAOSGATE_DATA_DIR}"

build_web

children=()
cleanup() {
  local pid
  for pid in "${children[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

in_cluster() { [[ -n "${KUBERNETES_SERVICE_HOST:-}" && -f /var/run/secrets/kubernetes.io/serviceaccount/token ]]; }

if [[ -z "${KUBECONFIG:-}" ]] && ! in_cluster && [[ -x deploy/local-cluster/build.sh ]]; then
  deploy/local-cluster/build.sh
  cluster_dir="${CHAOSGATE_DATA_DIR}/local-cluster"
  rm -rf "${cluster_dir}" && mkdir -p "${cluster_dir}"
  echo "[chaosgate] starting the local control plane (logs in ${cluster_dir})" >&2
  "${CHAOSGATE_ROOT}/.cache/local-cluster/bin/localcluster" up --dir "${cluster_dir}" --demo --simulator --exit-with-parent \
    >"${cluster_dir}/localcluster.out" 2>&1 &
  children+=($!)
  for _ in $(seq 1 600); do
    [[ -f "${cluster_dir}/ready" ]] && break
    kill -0 "${children[0]}" 2>/dev/null || { cat "${cluster_dir}/localcluster.out" >&2; exit 1; }
    sleep 0.2
  done
  [[ -f "${cluster_dir}/ready" ]] || { echo "local control plane did not become ready" >&2; exit 1; }
  export KUBECONFIG="${cluster_dir}/kubeconfig"
  export CHAOSGATE_LOCAL_CLUSTER=true
fi

echo "[chaosgate] serving on http://${HOST}:${PORT}" >&2
node --import tsx apps/api/src/server.ts &
api_pid=$!
children+=("${api_pid}")

# Whichever ends first ends chaosgate: without its control plane the API could only answer 503.
status=0
wait -n "${children[@]}" || status=$?
if kill -0 "${api_pid}" 2>/dev/null; then
  echo "[chaosgate] the local control plane stopped (exit ${status}); stopping. Its log, ${cluster_dir}/localcluster.out, ends with:" >&2
  tail -n 20 "${cluster_dir}/localcluster.out" >&2 || true
  exit 1
fi
exit "${status}"
