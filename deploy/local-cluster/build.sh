#!/usr/bin/env bash
# Builds the local control plane into $CHAOSGATE_CACHE/local-cluster/bin
# (default <repo>/.cache/local-cluster/bin):
#   kube-apiserver, kubectl        k8s.io/kubernetes (pinned in go.mod)
#   etcd                           go.etcd.io/etcd/server/v3 (pinned in etcd/go.mod)
#   localcluster                   the launcher (cmd/localcluster)
#   chaos-mesh-simulator           the Chaos Mesh status simulator (cmd/chaos-mesh-simulator)
#
# Needs only Go and the Go module proxy. Idempotent: a stamp keyed by a hash of
# the go.mod/go.sum files, the sources, the embedded manifests, this script and
# the Go version makes a second run a no-op. Go's default GOCACHE/GOMODCACHE are
# kept, so rebuilds on the same machine are incremental.
#
#   deploy/local-cluster/build.sh            build if out of date, print the bin dir
#   deploy/local-cluster/build.sh --force    rebuild
#   deploy/local-cluster/build.sh --print-bin-dir
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${CHAOSGATE_CACHE:-$repo/.cache}"
bin="$cache/local-cluster/bin"
binaries=(kube-apiserver kubectl etcd localcluster chaos-mesh-simulator)

force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --print-bin-dir) echo "$bin"; exit 0 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

command -v go >/dev/null || { echo "build.sh: Go is required (go.mod asks for go 1.26)" >&2; exit 1; }

# Everything that influences the binaries, in a stable order.
stamp_of() {
  (
    cd "$here"
    go version
    echo "GOFLAGS=${GOFLAGS:-} GOOS=$(go env GOOS) GOARCH=$(go env GOARCH) CGO_ENABLED=$(go env CGO_ENABLED)"
    find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' -o -name '*.yaml' -o -name 'build.sh' \) \
      -not -name '*_test.go' -print | LC_ALL=C sort | xargs sha256sum
  ) | sha256sum | cut -d' ' -f1
}

mkdir -p "$bin"
stamp="$(stamp_of)"
if [[ $force -eq 0 && -f "$bin/.stamp" && "$(cat "$bin/.stamp")" == "$stamp" ]]; then
  ok=1
  for b in "${binaries[@]}"; do [[ -x "$bin/$b" ]] || ok=0; done
  if [[ $ok -eq 1 ]]; then
    echo "local-cluster: up to date in $bin"
    exit 0
  fi
fi

start=$(date +%s)
rm -f "$bin/.stamp"
kver="$(cd "$here" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"   # e.g. v1.37.2
kmaj="${kver#v}"; kmaj="${kmaj%%.*}"
kmin="${kver#v*.}"; kmin="${kmin%%.*}"
ver_flags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ver_flags+=" -X $pkg.gitVersion=$kver -X $pkg.gitMajor=$kmaj -X $pkg.gitMinor=$kmin -X $pkg.gitTreeState=clean"
done

echo "local-cluster: building kube-apiserver, kubectl ($kver), localcluster, chaos-mesh-simulator -> $bin"
echo "local-cluster: (a cold build of kube-apiserver takes several minutes on 2 cores)"
(
  cd "$here"
  go build -trimpath -buildvcs=false -ldflags "-s -w$ver_flags" -o "$bin/" \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kubectl \
    ./cmd/localcluster \
    ./cmd/chaos-mesh-simulator
)
echo "local-cluster: building etcd ($(cd "$here/etcd" && go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3))"
(
  cd "$here/etcd"
  go build -trimpath -buildvcs=false -ldflags "-s -w" -o "$bin/etcd" .
)
echo "$stamp" > "$bin/.stamp"
echo "local-cluster: built in $(( $(date +%s) - start ))s -> $bin"
