#!/usr/bin/env bash
# End-to-end check of the local control plane against a real kube-apiserver:
# builds (no-op when up to date), starts `localcluster up --demo --simulator`,
# exercises the Chaos Mesh status simulator, applies k8s/ and checks least
# privilege with access reviews, then stops the cluster with SIGTERM and checks
# that no process is left. Prints "N passed, M failed" and exits non-zero on a
# failure.
#
#   deploy/local-cluster/smoke-test.sh [--examples DIR]
#
# --examples DIR also applies every *.yaml of DIR (e.g. Chaos Mesh's examples)
# to chaos-dev, to check that the pinned CRD schemas accept them.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
examples=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --examples) examples="$2"; shift 2 ;;
    *) echo "smoke-test.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

"$here/build.sh" || exit 1
bin="$("$here/build.sh" --print-bin-dir)"
dir="$(mktemp -d "${TMPDIR:-/tmp}/localcluster-smoke.XXXXXX")"
K="$bin/kubectl --kubeconfig $dir/kubeconfig"
pass=0; fail=0; lc_pid=""

ok()   { pass=$((pass+1)); echo "ok   - $*"; }
bad()  { fail=$((fail+1)); echo "FAIL - $*"; }
check() { local what="$1"; shift; if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi; }
# wait_for SECONDS CMD...: retry CMD every 0.25s
wait_for() { local t="$1"; shift; local end=$((SECONDS + t)); until "$@" >/dev/null 2>&1; do (( SECONDS >= end )) && return 1; sleep 0.25; done; }

cleanup() {
  if [[ -n "$lc_pid" ]] && kill -0 "$lc_pid" 2>/dev/null; then kill -TERM "$lc_pid"; wait "$lc_pid" 2>/dev/null; fi
  if [[ $fail -eq 0 ]]; then rm -rf "$dir"; else echo "logs kept in $dir"; fi
}
trap cleanup EXIT

start=$SECONDS
"$bin/localcluster" up --dir "$dir" --demo --simulator --exit-with-parent >"$dir/up.out" 2>&1 &
lc_pid=$!
if wait_for 240 test -f "$dir/ready"; then
  ok "cluster ready in $((SECONDS - start))s"
else
  bad "cluster did not become ready"; cat "$dir/up.out"; exit 1
fi
pids="$(python3 -c 'import json,sys; print(" ".join(str(v) for v in json.load(open(sys.argv[1]))["pids"].values()))' "$dir/state.json" 2>/dev/null \
  || sed -n 's/.*"\(etcd\|kube-apiserver\|chaos-mesh-simulator\|localcluster\)": \([0-9]*\).*/\2/p' "$dir/state.json" | tr '\n' ' ')"

running() { [[ "$($K get pods -n "$1" --field-selector=status.phase=Running --no-headers | wc -l)" -ge "$2" ]]; }
check "demo pods running in chaos-dev" running chaos-dev 12
check "demo pods running in chaos-prod" running chaos-prod 12
check "prometheus running in monitoring" $K get pod -n monitoring prometheus-0
check "deployment order ready 2/2" test "$($K get deploy -n chaos-dev order -o jsonpath='{.status.readyReplicas}/{.spec.replicas}')" = "2/2"
check "service selector is a subset of pod labels" test "$($K get pods -n chaos-dev -l app=order,tier=backend,version=v1 --no-headers | wc -l)" = 2
check "server reports v1.37.2" bash -c "$K version -o json | grep -q '\"gitVersion\": \"v1.37.2\"'"

cond() { $K get "$1" -n "$2" "$3" -o jsonpath="{.status.conditions[?(@.type==\"$4\")].status}"; }
is_cond() { [[ "$(cond "$@")" == "$5" ]]; }
gone() { ! $K get "$1" -n "$2" "$3" >/dev/null 2>&1; }

$K apply -f - >/dev/null <<'EOF'
apiVersion: chaos-mesh.org/v1alpha1
kind: PodChaos
metadata: {name: smoke-pod-kill, namespace: chaos-dev}
spec: {action: pod-kill, mode: one, selector: {labelSelectors: {app: order}}}
EOF
check "PodChaos AllInjected=True" wait_for 15 is_cond podchaos chaos-dev smoke-pod-kill AllInjected True
check "PodChaos has the chaos-mesh/records finalizer" bash -c "$K get podchaos -n chaos-dev smoke-pod-kill -o jsonpath='{.metadata.finalizers}' | grep -q chaos-mesh/records"
check "PodChaos record is a chaos-dev order pod" bash -c "$K get podchaos -n chaos-dev smoke-pod-kill -o jsonpath='{.status.experiment.containerRecords[0].id}' | grep -q '^chaos-dev/order-'"
$K delete podchaos -n chaos-dev smoke-pod-kill --wait=false >/dev/null
check "PodChaos deleted (finalizer released)" wait_for 15 gone podchaos chaos-dev smoke-pod-kill

$K apply -f - >/dev/null <<'EOF'
apiVersion: chaos-mesh.org/v1alpha1
kind: NetworkChaos
metadata: {name: smoke-delay, namespace: chaos-dev}
spec:
  action: delay
  mode: all
  selector: {labelSelectors: {app: payment}}
  direction: to
  target: {mode: all, selector: {labelSelectors: {app: mysql}}}
  delay: {latency: 50ms}
  duration: 6s
EOF
check "NetworkChaos AllInjected=True" wait_for 15 is_cond networkchaos chaos-dev smoke-delay AllInjected True
check "NetworkChaos records .Target" bash -c "$K get networkchaos -n chaos-dev smoke-delay -o jsonpath='{.status.experiment.containerRecords[*].selectorKey}' | grep -q '.Target'"
check "NetworkChaos AllRecovered=True after its duration" wait_for 20 is_cond networkchaos chaos-dev smoke-delay AllRecovered True
$K annotate networkchaos -n chaos-dev smoke-delay experiment.chaos-mesh.org/pause=true >/dev/null
check "Paused=True after the pause annotation" wait_for 15 is_cond networkchaos chaos-dev smoke-delay Paused True

$K -n chaos-mesh patch configmap chaos-mesh-simulator -p '{"data":{"holdFinalizers":"true"}}' >/dev/null
$K apply -f - >/dev/null <<'EOF'
apiVersion: chaos-mesh.org/v1alpha1
kind: StressChaos
metadata: {name: smoke-stuck, namespace: chaos-staging}
spec: {mode: one, selector: {labelSelectors: {app: inventory}}, stressors: {cpu: {workers: 1}}}
EOF
wait_for 15 is_cond stresschaos chaos-staging smoke-stuck AllInjected True
$K delete stresschaos -n chaos-staging smoke-stuck --wait=false >/dev/null
sleep 3
check "holdFinalizers keeps a deleted chaos object (stuck recovery)" $K get stresschaos -n chaos-staging smoke-stuck
check "stuck object reports AllRecovered=False" is_cond stresschaos chaos-staging smoke-stuck AllRecovered False
$K -n chaos-mesh patch configmap chaos-mesh-simulator -p '{"data":{"holdFinalizers":"false"}}' >/dev/null
check "releasing holdFinalizers lets it go" wait_for 15 gone stresschaos chaos-staging smoke-stuck

$K apply -f - >/dev/null <<'EOF'
apiVersion: chaos-mesh.org/v1alpha1
kind: Schedule
metadata: {name: smoke-schedule, namespace: chaos-dev}
spec:
  schedule: "@every 2s"
  type: PodChaos
  historyLimit: 2
  concurrencyPolicy: Allow
  podChaos: {action: pod-kill, mode: one, selector: {labelSelectors: {app: user}}}
EOF
spawned() { [[ "$($K get podchaos -n chaos-dev -l managed-by=smoke-schedule --no-headers | wc -l)" -ge 1 ]]; }
check "Schedule spawns PodChaos children (label managed-by)" wait_for 15 spawned
check "Schedule status.active is set" bash -c "$K get schedule -n chaos-dev smoke-schedule -o jsonpath='{.status.active[0].kind}' | grep -q PodChaos"
$K delete schedule -n chaos-dev smoke-schedule >/dev/null
nochildren() { [[ "$($K get podchaos -n chaos-dev -l managed-by=smoke-schedule --no-headers 2>/dev/null | wc -l)" -eq 0 ]]; }
check "deleting the Schedule removes its children" wait_for 15 nochildren

$K apply -f - >/dev/null <<'EOF'
apiVersion: chaos-mesh.org/v1alpha1
kind: Workflow
metadata: {name: smoke-workflow, namespace: chaos-dev}
spec:
  entry: entry
  templates:
    - {name: entry, templateType: Serial, children: [stress, pause]}
    - name: stress
      templateType: StressChaos
      deadline: 2s
      stressChaos: {mode: one, selector: {labelSelectors: {app: gateway}}, stressors: {cpu: {workers: 1}}}
    - {name: pause, templateType: Suspend, deadline: 1s}
EOF
check "Workflow Accomplished=True" wait_for 20 is_cond workflow chaos-dev smoke-workflow Accomplished True
$K delete workflow -n chaos-dev smoke-workflow >/dev/null

if [[ -n "$examples" ]]; then
  for f in "$examples"/*.yaml; do
    check "example accepted: $(basename "$f")" $K apply -n chaos-dev -f "$f"
  done
  for f in "$examples"/*.yaml; do $K delete -n chaos-dev -f "$f" --wait=false >/dev/null 2>&1; done
fi

check "k8s/ applies cleanly" $K apply -f "$repo/k8s/" --recursive
SA=system:serviceaccount:platform:chaos-platform-dev
can()    { [[ "$($K auth can-i --as=$SA "$@" 2>/dev/null)" == yes ]]; }
cannot() { [[ "$($K auth can-i --as=$SA "$@" 2>/dev/null)" == no ]]; }
for v in create get list watch patch delete; do check "dev SA can $v podchaos in chaos-dev" can "$v" podchaos.chaos-mesh.org -n chaos-dev; done
check "dev SA can create workflows in chaos-dev" can create workflows.chaos-mesh.org -n chaos-dev
check "dev SA can list pods in chaos-dev" can list pods -n chaos-dev
check "dev SA can watch statefulsets in chaos-dev" can watch statefulsets.apps -n chaos-dev
check "dev SA cannot update podchaos (only patch)" cannot update podchaos.chaos-mesh.org -n chaos-dev
check "dev SA cannot delete pods" cannot delete pods -n chaos-dev
check "dev SA cannot exec into pods" cannot create pods --subresource=exec -n chaos-dev
check "dev SA cannot read secrets" cannot get secrets -n chaos-dev
check "dev SA cannot patch deployments" cannot patch deployments.apps -n chaos-dev
check "dev SA cannot touch chaos-staging" cannot create podchaos.chaos-mesh.org -n chaos-staging
check "dev SA cannot touch chaos-prod" cannot list pods -n chaos-prod
check "dev SA cannot touch default" cannot list pods -n default
check "dev SA cannot touch kube-system" cannot list pods -n kube-system
check "dev SA cannot list pods cluster-wide" cannot list pods -A
check "dev SA is not cluster-admin" cannot '*' '*'
check "prod SA can create podchaos in chaos-prod" $K auth can-i --as=system:serviceaccount:platform:chaos-platform-prod create podchaos.chaos-mesh.org -n chaos-prod
check "TokenRequest works (kubectl create token)" $K create token chaos-platform-dev -n platform --duration=10m

kill -TERM "$lc_pid"
stopped() { ! kill -0 "$lc_pid" 2>/dev/null; }
check "launcher exits on SIGTERM" wait_for 60 stopped
wait "$lc_pid" 2>/dev/null; rc=$?
check "launcher exit status 0" test "$rc" -eq 0
lc_pid=""
left=""
for p in $pids; do kill -0 "$p" 2>/dev/null && left+=" $p"; done
check "no process left behind${left:+ (alive:$left)}" test -z "$left"
check "DIR/ready removed on stop" test ! -f "$dir/ready"

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
