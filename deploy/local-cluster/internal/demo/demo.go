// Package demo seeds the demo workloads of the local control plane. No
// controller-manager, scheduler or kubelet runs, so after applying the manifests
// it plays their part once: it creates ReplicaSets and Pods for the workloads,
// binds Pods to the demo Nodes and writes Running/Ready status through the
// status subresource, and fills in the workloads' status (ready/desired).
package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"chaosgate.dev/localcluster/internal/kubeutil"
)

// Environments maps chaosgate environment names to their chaos namespaces.
var Environments = []struct{ Env, Namespace string }{
	{"dev", "chaos-dev"},
	{"staging", "chaos-staging"},
	{"prod", "chaos-prod"},
}

// Nodes are the Node objects declared in demo/system.yaml.
var Nodes = []string{"local-node-1", "local-node-2"}

// Namespaces that receive Pods (and therefore need a "default" ServiceAccount,
// which the ServiceAccount admission plugin requires and which the absent
// controller-manager would otherwise create).
func Namespaces() []string {
	ns := []string{"default", "kube-system", "monitoring", "platform", "chaos-mesh"}
	for _, e := range Environments {
		ns = append(ns, e.Namespace)
	}
	return ns
}

// Render substitutes ${NAMESPACE} and ${ENV} in the shop template.
func Render(tmpl, env, namespace string) string {
	return strings.NewReplacer("${NAMESPACE}", namespace, "${ENV}", env).Replace(tmpl)
}

// Apply applies demo/system.yaml and demo/shop.yaml (once per environment) from
// assets, then creates Pods and status for every workload in the demo namespaces.
func Apply(ctx context.Context, cfg *rest.Config, assets fs.FS, logf func(string, ...any)) error {
	ap, err := kubeutil.NewApplier(cfg)
	if err != nil {
		return err
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	sys, err := fs.ReadFile(assets, "demo/system.yaml")
	if err != nil {
		return err
	}
	shop, err := fs.ReadFile(assets, "demo/shop.yaml")
	if err != nil {
		return err
	}
	docs, err := kubeutil.DecodeYAML(sys)
	if err != nil {
		return fmt.Errorf("demo/system.yaml: %w", err)
	}
	for _, e := range Environments {
		d, err := kubeutil.DecodeYAML([]byte(Render(string(shop), e.Env, e.Namespace)))
		if err != nil {
			return fmt.Errorf("demo/shop.yaml: %w", err)
		}
		docs = append(docs, d...)
	}
	// Namespaces first, then ServiceAccounts, then the rest.
	sort.SliceStable(docs, func(i, j int) bool { return rank(docs[i].GetKind()) < rank(docs[j].GetKind()) })
	applied := 0
	for _, d := range docs {
		if d.GetKind() == "Namespace" || d.GetKind() == "Node" {
			if _, err := ap.Apply(ctx, d, ""); err != nil {
				return err
			}
			applied++
		}
	}
	for _, ns := range Namespaces() {
		if err := ensureDefaultSA(ctx, cs, ns); err != nil {
			return err
		}
	}
	for _, d := range docs {
		if d.GetKind() != "Namespace" && d.GetKind() != "Node" {
			if _, err := ap.Apply(ctx, d, ""); err != nil {
				return err
			}
			applied++
		}
	}
	logf("demo: applied %d objects", applied)

	s := &seeder{cs: cs, now: metav1.NewTime(time.Now().Truncate(time.Second)), usedIP: map[string]bool{}}
	for _, n := range Nodes {
		if err := s.nodeReady(ctx, n); err != nil {
			return err
		}
	}
	pods := 0
	for _, ns := range Namespaces() {
		n, err := s.seedNamespace(ctx, ns)
		if err != nil {
			return fmt.Errorf("seed %s: %w", ns, err)
		}
		pods += n
	}
	logf("demo: %d pods running across %d namespaces", pods, len(Namespaces()))
	return nil
}

func rank(kind string) int {
	switch kind {
	case "Namespace":
		return 0
	case "Node", "ServiceAccount":
		return 1
	}
	return 2
}

func ensureDefaultSA(ctx context.Context, cs kubernetes.Interface, ns string) error {
	_, err := cs.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{
		ObjectMeta: metav1.ObjectMeta{Name: "default", Namespace: ns},
	}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create ServiceAccount %s/default: %w", ns, err)
	}
	return nil
}

type seeder struct {
	cs     kubernetes.Interface
	now    metav1.Time
	usedIP map[string]bool
}

func (s *seeder) nodeReady(ctx context.Context, name string) error {
	n, err := s.cs.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	idx := 1 + indexOf(Nodes, name)
	n.Status = corev1.NodeStatus{
		Capacity: corev1.ResourceList{
			corev1.ResourceCPU: mustQ("4"), corev1.ResourceMemory: mustQ("16Gi"), corev1.ResourcePods: mustQ("110"),
		},
		Allocatable: corev1.ResourceList{
			corev1.ResourceCPU: mustQ("4"), corev1.ResourceMemory: mustQ("15Gi"), corev1.ResourcePods: mustQ("110"),
		},
		Phase: corev1.NodeRunning,
		Conditions: []corev1.NodeCondition{
			{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady",
				Message: "simulated by chaosgate localcluster", LastHeartbeatTime: s.now, LastTransitionTime: s.now},
			{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasSufficientMemory", LastHeartbeatTime: s.now, LastTransitionTime: s.now},
			{Type: corev1.NodeDiskPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasNoDiskPressure", LastHeartbeatTime: s.now, LastTransitionTime: s.now},
			{Type: corev1.NodePIDPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasSufficientPID", LastHeartbeatTime: s.now, LastTransitionTime: s.now},
		},
		Addresses: []corev1.NodeAddress{
			{Type: corev1.NodeInternalIP, Address: fmt.Sprintf("172.18.0.%d", idx+1)},
			{Type: corev1.NodeHostName, Address: name},
		},
		NodeInfo: corev1.NodeSystemInfo{
			KubeletVersion: "v1.37.2", OperatingSystem: "linux", Architecture: "amd64",
			ContainerRuntimeVersion: "simulated://1.0", OSImage: "chaosgate localcluster (simulated node)",
		},
	}
	_, err = s.cs.CoreV1().Nodes().UpdateStatus(ctx, n, metav1.UpdateOptions{})
	return err
}

// seedNamespace creates Pods for every Deployment, StatefulSet and DaemonSet of ns.
func (s *seeder) seedNamespace(ctx context.Context, ns string) (int, error) {
	apps := s.cs.AppsV1()
	total := 0
	deps, err := apps.Deployments(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return 0, err
	}
	for i := range deps.Items {
		n, err := s.deployment(ctx, &deps.Items[i])
		if err != nil {
			return 0, err
		}
		total += n
	}
	stss, err := apps.StatefulSets(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return 0, err
	}
	for i := range stss.Items {
		n, err := s.statefulSet(ctx, &stss.Items[i])
		if err != nil {
			return 0, err
		}
		total += n
	}
	dss, err := apps.DaemonSets(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return 0, err
	}
	for i := range dss.Items {
		n, err := s.daemonSet(ctx, &dss.Items[i])
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

func replicas(p *int32) int {
	if p == nil {
		return 1
	}
	return int(*p)
}

func (s *seeder) deployment(ctx context.Context, d *appsv1.Deployment) (int, error) {
	hash := safeHash(d.Namespace+"/"+d.Name+"/"+d.Spec.Template.String(), 10)
	rsName := d.Name + "-" + hash
	want := replicas(d.Spec.Replicas)
	labels := merge(d.Spec.Template.Labels, map[string]string{"pod-template-hash": hash})
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name: rsName, Namespace: d.Namespace, Labels: labels,
			Annotations: map[string]string{
				"deployment.kubernetes.io/revision":         "1",
				"deployment.kubernetes.io/desired-replicas": fmt.Sprint(want),
			},
			OwnerReferences: []metav1.OwnerReference{ownerRef("apps/v1", "Deployment", d.Name, d.UID)},
		},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: d.Spec.Replicas,
			Selector: &metav1.LabelSelector{MatchLabels: merge(d.Spec.Selector.MatchLabels, map[string]string{"pod-template-hash": hash})},
			Template: *d.Spec.Template.DeepCopy(),
		},
	}
	rs.Spec.Template.Labels = labels
	created, err := s.cs.AppsV1().ReplicaSets(d.Namespace).Create(ctx, rs, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		created, err = s.cs.AppsV1().ReplicaSets(d.Namespace).Get(ctx, rsName, metav1.GetOptions{})
	}
	if err != nil {
		return 0, fmt.Errorf("replicaset %s: %w", rsName, err)
	}
	for i := 0; i < want; i++ {
		name := rsName + "-" + safeHash(fmt.Sprintf("%s/%s/%d", d.Namespace, rsName, i), 5)
		if err := s.pod(ctx, name, d.Namespace, labels, &d.Spec.Template, ownerRef("apps/v1", "ReplicaSet", rsName, created.UID), s.nodeFor(d.Name, i)); err != nil {
			return 0, err
		}
	}
	w := int32(want)
	created.Status = appsv1.ReplicaSetStatus{Replicas: w, FullyLabeledReplicas: w, ReadyReplicas: w, AvailableReplicas: w, ObservedGeneration: created.Generation}
	if _, err := s.cs.AppsV1().ReplicaSets(d.Namespace).UpdateStatus(ctx, created, metav1.UpdateOptions{}); err != nil {
		return 0, err
	}
	d.Status = appsv1.DeploymentStatus{
		ObservedGeneration: d.Generation, Replicas: w, UpdatedReplicas: w, ReadyReplicas: w, AvailableReplicas: w,
		Conditions: []appsv1.DeploymentCondition{
			{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue, Reason: "MinimumReplicasAvailable",
				Message: "Deployment has minimum availability.", LastUpdateTime: s.now, LastTransitionTime: s.now},
			{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue, Reason: "NewReplicaSetAvailable",
				Message: fmt.Sprintf("ReplicaSet %q has successfully progressed.", rsName), LastUpdateTime: s.now, LastTransitionTime: s.now},
		},
	}
	_, err = s.cs.AppsV1().Deployments(d.Namespace).UpdateStatus(ctx, d, metav1.UpdateOptions{})
	return want, err
}

func (s *seeder) statefulSet(ctx context.Context, st *appsv1.StatefulSet) (int, error) {
	rev := st.Name + "-" + safeHash(st.Namespace+"/"+st.Name+"/"+st.Spec.Template.String(), 10)
	want := replicas(st.Spec.Replicas)
	for i := 0; i < want; i++ {
		name := fmt.Sprintf("%s-%d", st.Name, i)
		labels := merge(st.Spec.Template.Labels, map[string]string{
			"controller-revision-hash":           rev,
			"statefulset.kubernetes.io/pod-name": name,
			"apps.kubernetes.io/pod-index":       fmt.Sprint(i),
		})
		if err := s.pod(ctx, name, st.Namespace, labels, &st.Spec.Template, ownerRef("apps/v1", "StatefulSet", st.Name, st.UID), s.nodeFor(st.Name, i)); err != nil {
			return 0, err
		}
	}
	w := int32(want)
	st.Status = appsv1.StatefulSetStatus{
		ObservedGeneration: st.Generation, Replicas: w, ReadyReplicas: w, CurrentReplicas: w, UpdatedReplicas: w,
		AvailableReplicas: w, CurrentRevision: rev, UpdateRevision: rev,
	}
	_, err := s.cs.AppsV1().StatefulSets(st.Namespace).UpdateStatus(ctx, st, metav1.UpdateOptions{})
	return want, err
}

func (s *seeder) daemonSet(ctx context.Context, ds *appsv1.DaemonSet) (int, error) {
	hash := safeHash(ds.Namespace+"/"+ds.Name+"/"+ds.Spec.Template.String(), 10)
	labels := merge(ds.Spec.Template.Labels, map[string]string{"controller-revision-hash": hash, "pod-template-generation": "1"})
	for _, node := range Nodes {
		name := ds.Name + "-" + safeHash(ds.Namespace+"/"+ds.Name+"/"+node, 5)
		if err := s.pod(ctx, name, ds.Namespace, labels, &ds.Spec.Template, ownerRef("apps/v1", "DaemonSet", ds.Name, ds.UID), node); err != nil {
			return 0, err
		}
	}
	n := int32(len(Nodes))
	ds.Status = appsv1.DaemonSetStatus{
		ObservedGeneration: ds.Generation, CurrentNumberScheduled: n, DesiredNumberScheduled: n, NumberReady: n,
		NumberAvailable: n, UpdatedNumberScheduled: n,
	}
	_, err := s.cs.AppsV1().DaemonSets(ds.Namespace).UpdateStatus(ctx, ds, metav1.UpdateOptions{})
	return len(Nodes), err
}

func (s *seeder) nodeFor(workload string, i int) string {
	return Nodes[(int(fnv32(workload))+i)%len(Nodes)]
}

func (s *seeder) pod(ctx context.Context, name, ns string, labels map[string]string, tmpl *corev1.PodTemplateSpec, owner metav1.OwnerReference, node string) error {
	no := false
	spec := *tmpl.Spec.DeepCopy()
	spec.NodeName = node
	spec.AutomountServiceAccountToken = &no
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: ns, Labels: labels, Annotations: tmpl.Annotations,
			OwnerReferences: []metav1.OwnerReference{owner},
		},
		Spec: spec,
	}
	got, err := s.cs.CoreV1().Pods(ns).Create(ctx, p, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		got, err = s.cs.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
	}
	if err != nil {
		return fmt.Errorf("pod %s/%s: %w", ns, name, err)
	}
	nodeIdx := 1 + indexOf(Nodes, node)
	podIP := got.Status.PodIP
	if podIP == "" {
		// Deterministic per pod, unique within the node's /24.
		for i := uint32(0); i < 250; i++ {
			podIP = fmt.Sprintf("10.244.%d.%d", nodeIdx, 2+(fnv32(ns+"/"+name)+i)%250)
			if !s.usedIP[podIP] {
				break
			}
		}
	}
	s.usedIP[podIP] = true
	t := s.now
	cond := func(ty corev1.PodConditionType) corev1.PodCondition {
		return corev1.PodCondition{Type: ty, Status: corev1.ConditionTrue, LastTransitionTime: t}
	}
	var cstat []corev1.ContainerStatus
	for _, c := range spec.Containers {
		started := true
		cstat = append(cstat, corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, ImageID: c.Image + "@sha256:" + safeHexHash(c.Image),
			ContainerID: "containerd://" + safeHexHash(ns+"/"+name+"/"+c.Name),
			Ready:       true, Started: &started,
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: t}},
		})
	}
	got.Status = corev1.PodStatus{
		Phase: corev1.PodRunning,
		Conditions: []corev1.PodCondition{
			cond("PodReadyToStartContainers"), cond(corev1.PodInitialized), cond(corev1.PodReady),
			cond(corev1.ContainersReady), cond(corev1.PodScheduled),
		},
		HostIP:            fmt.Sprintf("172.18.0.%d", nodeIdx+1),
		HostIPs:           []corev1.HostIP{{IP: fmt.Sprintf("172.18.0.%d", nodeIdx+1)}},
		PodIP:             podIP,
		PodIPs:            []corev1.PodIP{{IP: podIP}},
		StartTime:         &t,
		ContainerStatuses: cstat,
		QOSClass:          got.Status.QOSClass,
	}
	if _, err := s.cs.CoreV1().Pods(ns).UpdateStatus(ctx, got, metav1.UpdateOptions{}); err != nil {
		return fmt.Errorf("pod status %s/%s: %w", ns, name, err)
	}
	return nil
}

func ownerRef(apiVersion, kind, name string, uid types.UID) metav1.OwnerReference {
	t := true
	return metav1.OwnerReference{APIVersion: apiVersion, Kind: kind, Name: name, UID: uid, Controller: &t, BlockOwnerDeletion: &t}
}

func mustQ(s string) resource.Quantity { return resource.MustParse(s) }

func merge(a, b map[string]string) map[string]string {
	out := make(map[string]string, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return 0
}

func fnv32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// safeHash renders a deterministic name suffix from the alphabet Kubernetes
// uses for generated names (no vowels, no confusable characters).
func safeHash(s string, n int) string {
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	h := fnv.New64a()
	h.Write([]byte(s))
	v := h.Sum64()
	out := make([]byte, n)
	for i := range out {
		out[i] = alphabet[v%uint64(len(alphabet))]
		v /= uint64(len(alphabet))
		if v == 0 {
			h.Write([]byte{byte(i)})
			v = h.Sum64()
		}
	}
	return string(out)
}

func safeHexHash(s string) string {
	h := fnv.New64a()
	var out strings.Builder
	for i := 0; i < 4; i++ {
		h.Write([]byte(s))
		fmt.Fprintf(&out, "%016x", h.Sum64())
	}
	return out.String()
}
