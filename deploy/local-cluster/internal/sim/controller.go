package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	typedcorev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/workqueue"
)

// Group is the API group the simulator serves.
const Group = "chaos-mesh.org"

const fieldManager = "chaos-mesh-simulator"

type class int

const (
	classOther class = iota
	classChaos
	classSchedule
	classWorkflow
)

// kindInfo describes one chaos-mesh.org resource discovered from the API.
type kindInfo struct {
	gvr            schema.GroupVersionResource
	kind           string
	class          class
	containerLevel bool // spec has containerNames: records are per container
	hasAddress     bool // spec has address (PhysicalMachineChaos)
	statusSub      bool // status is a subresource (Workflow, StatusCheck, ...)
	informer       cache.SharedIndexInformer
}

type qkey struct{ resource, namespace, name string }

// Config configures the simulator.
type Config struct {
	// ConfigNamespace/ConfigName locate the ConfigMap whose holdFinalizers key
	// ("true") makes recovery fail so finalizers stay (re-read on every use).
	ConfigNamespace, ConfigName string
	Resync                      time.Duration
	Workers                     int
	Logf                        func(format string, args ...any)
}

// Simulator is the Chaos Mesh status simulator.
type Simulator struct {
	cfg      Config
	dyn      dynamic.Interface
	cs       kubernetes.Interface
	disc     discovery.DiscoveryInterface
	factory  dynamicinformer.DynamicSharedInformerFactory
	kube     informers.SharedInformerFactory
	pods     corelisters.PodLister
	nodes    corelisters.NodeLister
	queue    workqueue.TypedRateLimitingInterface[qkey]
	recorder record.EventRecorder

	mu         sync.RWMutex
	byKind     map[string]*kindInfo
	byResource map[string]*kindInfo
	now        func() time.Time
}

// New builds a simulator for rc.
func New(rc *rest.Config, cfg Config) (*Simulator, error) {
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.Resync == 0 {
		cfg.Resync = 5 * time.Second
	}
	if cfg.Workers == 0 {
		cfg.Workers = 2
	}
	dyn, err := dynamic.NewForConfig(rc)
	if err != nil {
		return nil, err
	}
	cs, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return nil, err
	}
	disc, err := discovery.NewDiscoveryClientForConfig(rc)
	if err != nil {
		return nil, err
	}
	s := &Simulator{
		cfg: cfg, dyn: dyn, cs: cs, disc: disc,
		factory:    dynamicinformer.NewDynamicSharedInformerFactory(dyn, cfg.Resync),
		kube:       informers.NewSharedInformerFactory(cs, 0),
		queue:      workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[qkey]()),
		byKind:     map[string]*kindInfo{},
		byResource: map[string]*kindInfo{},
		now:        time.Now,
	}
	s.pods = s.kube.Core().V1().Pods().Lister()
	s.nodes = s.kube.Core().V1().Nodes().Lister()
	b := record.NewBroadcaster()
	b.StartRecordingToSink(&typedcorev1.EventSinkImpl{Interface: cs.CoreV1().Events("")})
	s.recorder = b.NewRecorder(scheme.Scheme, corev1.EventSource{Component: "chaos-mesh-simulator"})
	return s, nil
}

// Run discovers the chaos-mesh.org kinds, starts informers and workers, calls
// ready once caches are synced, and blocks until ctx ends.
func (s *Simulator) Run(ctx context.Context, ready func()) error {
	defer s.queue.ShutDown()
	s.kube.Start(ctx.Done())
	for t, ok := range s.kube.WaitForCacheSync(ctx.Done()) {
		if !ok {
			return fmt.Errorf("cache sync failed for %v", t)
		}
	}
	if err := s.discover(ctx); err != nil {
		return err
	}
	go func() {
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := s.discover(ctx); err != nil {
					s.cfg.Logf("discovery: %v", err)
				}
			}
		}
	}()
	for i := 0; i < s.cfg.Workers; i++ {
		go s.worker(ctx)
	}
	s.mu.RLock()
	names := make([]string, 0, len(s.byKind))
	for k := range s.byKind {
		names = append(names, k)
	}
	s.mu.RUnlock()
	sort.Strings(names)
	s.cfg.Logf("watching %d chaos-mesh.org kinds: %s", len(names), strings.Join(names, ", "))
	if ready != nil {
		ready()
	}
	<-ctx.Done()
	return nil
}

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// discover finds the chaos-mesh.org resources served by the API (no
// hard-coded list) and starts an informer for each new one.
func (s *Simulator) discover(ctx context.Context) error {
	groups, err := s.disc.ServerGroups()
	if err != nil {
		return err
	}
	gv := ""
	for _, g := range groups.Groups {
		if g.Name == Group {
			gv = g.PreferredVersion.GroupVersion
		}
	}
	if gv == "" {
		return fmt.Errorf("API group %s is not served (are the Chaos Mesh CRDs installed?)", Group)
	}
	list, err := s.disc.ServerResourcesForGroupVersion(gv)
	if err != nil {
		return err
	}
	version := strings.TrimPrefix(gv, Group+"/")
	subs := map[string]bool{}
	for _, r := range list.APIResources {
		subs[r.Name] = true
	}
	added := 0
	for _, r := range list.APIResources {
		if strings.Contains(r.Name, "/") || !contains(r.Verbs, "watch") {
			continue
		}
		s.mu.RLock()
		_, known := s.byResource[r.Name]
		s.mu.RUnlock()
		if known {
			continue
		}
		info := &kindInfo{gvr: schema.GroupVersionResource{Group: Group, Version: version, Resource: r.Name}, kind: r.Kind,
			statusSub: subs[r.Name+"/status"]}
		if err := s.classify(ctx, info); err != nil {
			return err
		}
		info.informer = s.factory.ForResource(info.gvr).Informer()
		_, _ = info.informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
			AddFunc:    func(o any) { s.enqueue(info, o) },
			UpdateFunc: func(_, o any) { s.enqueue(info, o) },
			DeleteFunc: func(o any) { s.enqueue(info, o); s.enqueueDependents(o) },
		})
		s.mu.Lock()
		s.byKind[info.kind] = info
		s.byResource[r.Name] = info
		s.mu.Unlock()
		added++
	}
	if added > 0 {
		s.factory.Start(ctx.Done())
		for t, ok := range s.factory.WaitForCacheSync(ctx.Done()) {
			if !ok {
				return fmt.Errorf("cache sync failed for %v", t)
			}
		}
	}
	return nil
}

// classify inspects the CRD's schema: a kind whose status has
// experiment.containerRecords is a chaos kind (Chaos Mesh's InnerObject).
func (s *Simulator) classify(ctx context.Context, info *kindInfo) error {
	switch info.kind {
	case "Schedule":
		info.class = classSchedule
		return nil
	case "Workflow":
		info.class = classWorkflow
		return nil
	}
	crd, err := s.dyn.Resource(crdGVR).Get(ctx, info.gvr.Resource+"."+Group, metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("read CRD of %s: %w", info.kind, err)
	}
	versions, _, _ := unstructured.NestedSlice(crd.Object, "spec", "versions")
	for _, v := range versions {
		vm, _ := v.(map[string]any)
		if vm["name"] != info.gvr.Version {
			continue
		}
		props, _, _ := unstructured.NestedMap(vm, "schema", "openAPIV3Schema", "properties")
		if _, ok, _ := unstructured.NestedMap(props, "status", "properties", "experiment", "properties", "containerRecords"); ok {
			info.class = classChaos
		}
		_, info.containerLevel, _ = unstructured.NestedMap(props, "spec", "properties", "containerNames")
		_, info.hasAddress, _ = unstructured.NestedMap(props, "spec", "properties", "address")
	}
	return nil
}

func (s *Simulator) kindInfo(kind string) *kindInfo {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.byKind[kind]
}

func (s *Simulator) allKinds() []*kindInfo {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*kindInfo, 0, len(s.byKind))
	for _, k := range s.byKind {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].kind < out[j].kind })
	return out
}

func (s *Simulator) enqueue(info *kindInfo, o any) {
	if t, ok := o.(cache.DeletedFinalStateUnknown); ok {
		o = t.Obj
	}
	u, ok := o.(*unstructured.Unstructured)
	if !ok {
		return
	}
	s.queue.Add(qkey{info.gvr.Resource, u.GetNamespace(), u.GetName()})
	for _, ref := range u.GetOwnerReferences() {
		if oi := s.ownerInfo(ref); oi != nil {
			s.queue.Add(qkey{oi.gvr.Resource, u.GetNamespace(), ref.Name})
		}
	}
}

// enqueueDependents queues the objects owned by a deleted object, so that the
// garbage collection below sees at once that their owner is gone.
func (s *Simulator) enqueueDependents(o any) {
	if t, ok := o.(cache.DeletedFinalStateUnknown); ok {
		o = t.Obj
	}
	u, ok := o.(*unstructured.Unstructured)
	if !ok {
		return
	}
	for _, ki := range s.allKinds() {
		for _, d := range s.list(ki, u.GetNamespace(), func(x *unstructured.Unstructured) bool { return ownedBy(x, u.GetUID()) }) {
			s.queue.Add(qkey{ki.gvr.Resource, d.GetNamespace(), d.GetName()})
		}
	}
}

func (s *Simulator) ownerInfo(ref metav1.OwnerReference) *kindInfo {
	gv, err := schema.ParseGroupVersion(ref.APIVersion)
	if err != nil || gv.Group != Group {
		return nil
	}
	return s.kindInfo(ref.Kind)
}

func (s *Simulator) worker(ctx context.Context) {
	for {
		k, quit := s.queue.Get()
		if quit {
			return
		}
		after, err := s.process(ctx, k)
		switch {
		case err != nil:
			if !apierrors.IsConflict(err) && !apierrors.IsNotFound(err) {
				s.cfg.Logf("%s %s/%s: %v", k.resource, k.namespace, k.name, err)
			}
			s.queue.AddRateLimited(k)
		default:
			s.queue.Forget(k)
			if after > 0 {
				s.queue.AddAfter(k, after)
			}
		}
		s.queue.Done(k)
	}
}

func (s *Simulator) get(info *kindInfo, ns, name string) (*unstructured.Unstructured, bool) {
	key := name
	if ns != "" {
		key = ns + "/" + name
	}
	o, ok, err := info.informer.GetStore().GetByKey(key)
	if err != nil || !ok {
		return nil, false
	}
	return o.(*unstructured.Unstructured).DeepCopy(), true
}

func (s *Simulator) client(info *kindInfo, ns string) dynamic.ResourceInterface {
	return s.dyn.Resource(info.gvr).Namespace(ns)
}

func (s *Simulator) update(ctx context.Context, info *kindInfo, u *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	return s.client(info, u.GetNamespace()).Update(ctx, u, metav1.UpdateOptions{FieldManager: fieldManager})
}

// updateStatus writes u's status: through the status subresource when the
// kind has one, otherwise (most chaos kinds, Schedule) with a plain update, as
// Chaos Mesh does.
func (s *Simulator) updateStatus(ctx context.Context, info *kindInfo, u *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	if info.statusSub {
		return s.client(info, u.GetNamespace()).UpdateStatus(ctx, u, metav1.UpdateOptions{FieldManager: fieldManager})
	}
	return s.update(ctx, info, u)
}

// process reconciles one object and returns when to look at it again.
func (s *Simulator) process(ctx context.Context, k qkey) (time.Duration, error) {
	s.mu.RLock()
	info := s.byResource[k.resource]
	s.mu.RUnlock()
	if info == nil {
		return 0, nil
	}
	u, ok := s.get(info, k.namespace, k.name)
	if !ok {
		return 0, nil
	}
	if gone, err := s.collectOrphan(ctx, info, u); gone || err != nil {
		return 0, err
	}
	if u.GetDeletionTimestamp() != nil {
		if handled, after, err := s.collectDependents(ctx, info, u); handled || err != nil {
			return after, err
		}
	}
	switch info.class {
	case classChaos:
		return s.reconcileChaos(ctx, info, u)
	case classSchedule:
		return s.reconcileSchedule(ctx, info, u)
	case classWorkflow:
		return s.reconcileWorkflow(ctx, info, u)
	}
	return 0, nil
}

// ---------------------------------------------------------------------------
// Chaos objects

func (s *Simulator) holdFinalizers(ctx context.Context) bool {
	if s.cfg.ConfigName == "" {
		return false
	}
	cm, err := s.cs.CoreV1().ConfigMaps(s.cfg.ConfigNamespace).Get(ctx, s.cfg.ConfigName, metav1.GetOptions{})
	if err != nil {
		return false
	}
	return strings.EqualFold(strings.TrimSpace(cm.Data["holdFinalizers"]), "true")
}

const holdMessage = "recovery held by the chaos-mesh-simulator ConfigMap (holdFinalizers=true): simulated unreachable chaos-daemon"

func (s *Simulator) reconcileChaos(ctx context.Context, info *kindInfo, u *unstructured.Unstructured) (time.Duration, error) {
	now := s.now()
	status, _, _ := unstructured.NestedMap(u.Object, "status")
	st := ParseStatus(status)
	before := st.ToMap()
	spec, _, _ := unstructured.NestedMap(u.Object, "spec")
	action, _ := spec["action"].(string)
	paused := u.GetAnnotations()[PauseAnnotation] == "true"

	if u.GetDeletionTimestamp() != nil {
		if !contains(u.GetFinalizers(), RecordFinalizer) {
			return 0, nil
		}
		forced := u.GetAnnotations()[CleanFinalizerAnnotation] == CleanFinalizerForced
		hold := !forced && s.holdFinalizers(ctx)
		if st.Experiment.DesiredPhase != PhaseStop {
			s.recorder.Event(u, corev1.EventTypeNormal, "Deleted", "Experiment has been deleted")
		}
		st.Experiment.DesiredPhase = PhaseStop
		if StepRecords(st.Experiment.Records, PhaseStop, now, hold, holdMessage) {
			if hold {
				s.recorder.Event(u, corev1.EventTypeWarning, "Failed", "Failed to recover chaos: "+holdMessage)
			} else {
				s.recorder.Event(u, corev1.EventTypeNormal, "Recovered", "Successfully recovered chaos")
			}
		}
		st.Conditions = Conditions(st.Experiment.Records, paused)
		if !reflect.DeepEqual(before, st.ToMap()) {
			setStatus(u, st)
			var err error
			if u, err = s.updateStatus(ctx, info, u); err != nil {
				return 0, err
			}
		}
		if forced || AllRecovered(st.Experiment.Records) {
			u.SetFinalizers(without(u.GetFinalizers(), RecordFinalizer))
			if _, err := s.update(ctx, info, u); err != nil {
				return 0, err
			}
			s.recorder.Event(u, corev1.EventTypeNormal, "FinalizerRemoved", "Finalizer has been removed")
			return 0, nil
		}
		return time.Second, nil // held: look again so a toggle takes effect
	}

	if !contains(u.GetFinalizers(), RecordFinalizer) {
		u.SetFinalizers(append(u.GetFinalizers(), RecordFinalizer))
		var err error
		if u, err = s.update(ctx, info, u); err != nil {
			return 0, err
		}
		s.recorder.Event(u, corev1.EventTypeNormal, "FinalizerInited", "Finalizer has been inited")
	}

	oneShot := IsOneShot(info.kind, action)
	duration, _ := spec["duration"].(string)
	exceeded, untilStop, err := DurationExceeded(u.GetCreationTimestamp().Time, duration, now)
	if err != nil {
		s.cfg.Logf("%s %s/%s: bad duration %q: %v", info.kind, u.GetNamespace(), u.GetName(), duration, err)
	}
	desired := DesiredPhase(false, oneShot, exceeded, paused)
	if desired != st.Experiment.DesiredPhase {
		switch {
		case desired == PhaseRun:
			s.recorder.Event(u, corev1.EventTypeNormal, "Started", "Experiment has started")
		case exceeded:
			s.recorder.Event(u, corev1.EventTypeNormal, "TimeUp", "Time up according to the duration")
		case paused:
			s.recorder.Event(u, corev1.EventTypeNormal, "Paused", "Experiment has been paused")
		}
	}
	st.Experiment.DesiredPhase = desired

	var selectErr error
	if st.Experiment.Records == nil {
		recs, err := s.selectRecords(info, u, spec, action)
		if err != nil {
			selectErr = err
			s.recorder.Event(u, corev1.EventTypeWarning, "Failed", "Failed to select targets: "+err.Error())
		} else {
			st.Experiment.Records = recs
		}
	}
	if StepRecords(st.Experiment.Records, desired, now, false, "") {
		for _, r := range st.Experiment.Records {
			if n := len(r.Events); n > 0 && r.Events[n-1].Timestamp != nil && r.Events[n-1].Timestamp.Time.Equal(now.UTC().Truncate(time.Second)) {
				if r.Phase == Injected {
					s.recorder.Event(u, corev1.EventTypeNormal, "Applied", "Successfully apply chaos for "+r.ID)
				} else {
					s.recorder.Event(u, corev1.EventTypeNormal, "Recovered", "Successfully recover chaos for "+r.ID)
				}
			}
		}
	}
	st.Conditions = Conditions(st.Experiment.Records, paused)
	if !reflect.DeepEqual(before, st.ToMap()) {
		setStatus(u, st)
		if _, err := s.updateStatus(ctx, info, u); err != nil {
			return 0, err
		}
	}
	switch {
	case selectErr != nil:
		return 5 * time.Second, nil // pods may appear later
	case untilStop > 0:
		return untilStop + 50*time.Millisecond, nil
	}
	return 0, nil
}

func setStatus(u *unstructured.Unstructured, st ChaosStatus) {
	status, _, _ := unstructured.NestedMap(u.Object, "status")
	if status == nil {
		status = map[string]any{}
	}
	for k, v := range st.ToMap() {
		status[k] = v
	}
	if _, ok := st.ToMap()["conditions"]; !ok {
		delete(status, "conditions")
	}
	u.Object["status"] = status
}

// selectRecords selects the targets of a chaos object, one record per target
// and selector key (Chaos Mesh's GetSelectorSpecs: "." for spec's own
// selector, ".Target" etc. for nested selectors such as NetworkChaos.target).
func (s *Simulator) selectRecords(info *kindInfo, u *unstructured.Unstructured, spec map[string]any, action string) ([]*Record, error) {
	var recs []*Record
	if info.hasAddress {
		if addrs, ok := spec["address"].([]any); ok && len(addrs) > 0 {
			for _, a := range addrs {
				if as, ok := a.(string); ok {
					recs = append(recs, &Record{ID: as, SelectorKey: ".", Phase: NotInjected})
				}
			}
			return recs, nil
		}
	}
	if _, ok := spec["selector"].(map[string]any); ok {
		containerLevel := info.containerLevel && !(info.kind == "PodChaos" && action != "container-kill")
		r, err := s.selectWith(info, u, spec, ".", containerLevel)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r...)
		keys := make([]string, 0, len(spec))
		for k := range spec {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			m, ok := spec[k].(map[string]any)
			if !ok || k == "selector" {
				continue
			}
			if _, hasSel := m["selector"]; !hasSel {
				continue
			}
			if _, hasMode := m["mode"]; !hasMode {
				continue
			}
			r, err := s.selectWith(info, u, m, "."+strings.ToUpper(k[:1])+k[1:], false)
			if err != nil {
				return nil, err
			}
			recs = append(recs, r...)
		}
		return recs, nil
	}
	// Cloud kinds (AWSChaos, GCPChaos, AzureChaos): the target is the spec's
	// own selector; Chaos Mesh uses its JSON as the record id.
	sel := map[string]any{}
	for k, v := range spec {
		switch k {
		case "action", "duration", "secretName", "remoteCluster":
		default:
			sel[k] = v
		}
	}
	id, _ := json.Marshal(sel)
	return []*Record{{ID: string(id), SelectorKey: ".", Phase: NotInjected}}, nil
}

func (s *Simulator) selectWith(info *kindInfo, u *unstructured.Unstructured, m map[string]any, key string, containerLevel bool) ([]*Record, error) {
	var ps PodSelector
	b, _ := json.Marshal(m)
	if err := json.Unmarshal(b, &ps); err != nil {
		return nil, fmt.Errorf("selector: %w", err)
	}
	var cands []Candidate
	nodeLabels := map[string]map[string]string{}
	if info.kind == "PhysicalMachineChaos" {
		if pm := s.kindInfo("PhysicalMachine"); pm != nil {
			for _, o := range pm.informer.GetStore().List() {
				x := o.(*unstructured.Unstructured)
				cands = append(cands, Candidate{Namespace: x.GetNamespace(), Name: x.GetName(), Labels: x.GetLabels(), Annotations: x.GetAnnotations()})
			}
		}
	} else {
		pods, err := s.pods.List(labelsEverything())
		if err != nil {
			return nil, err
		}
		for _, p := range pods {
			c := Candidate{Namespace: p.Namespace, Name: p.Name, Labels: p.Labels, Annotations: p.Annotations,
				NodeName: p.Spec.NodeName, Phase: string(p.Status.Phase)}
			for _, ct := range p.Spec.Containers {
				c.Containers = append(c.Containers, ct.Name)
			}
			cands = append(cands, c)
		}
		if nodes, err := s.nodes.List(labelsEverything()); err == nil {
			for _, n := range nodes {
				nodeLabels[n.Name] = n.Labels
			}
		}
	}
	sel, err := Select(cands, ps, u.GetNamespace(), nodeLabels)
	if err != nil {
		return nil, err
	}
	return RecordsFor(sel, key, containerLevel, ps.ContainerNames), nil
}

// RecordsFor builds Not Injected records for selected targets: one per pod
// ("ns/name"), or per container ("ns/name/container", the first container
// when containerNames is empty) when containerLevel.
func RecordsFor(sel []Candidate, key string, containerLevel bool, containerNames []string) []*Record {
	var recs []*Record
	for _, c := range sel {
		id := c.Namespace + "/" + c.Name
		if !containerLevel {
			recs = append(recs, &Record{ID: id, SelectorKey: key, Phase: NotInjected})
			continue
		}
		if len(containerNames) == 0 {
			if len(c.Containers) > 0 {
				recs = append(recs, &Record{ID: id + "/" + c.Containers[0], SelectorKey: key, Phase: NotInjected})
			}
			continue
		}
		for _, ct := range c.Containers {
			if contains(containerNames, ct) {
				recs = append(recs, &Record{ID: id + "/" + ct, SelectorKey: key, Phase: NotInjected})
			}
		}
	}
	return recs
}

// ---------------------------------------------------------------------------
// Schedule

func (s *Simulator) reconcileSchedule(ctx context.Context, info *kindInfo, u *unstructured.Unstructured) (time.Duration, error) {
	if u.GetDeletionTimestamp() != nil {
		return 0, nil
	}
	now := s.now()
	spec, _, _ := unstructured.NestedMap(u.Object, "spec")
	typ, _ := spec["type"].(string)
	ci := s.kindInfo(typ)
	field, ferr := ScheduleItemField(typ)
	if ci == nil || ferr != nil || (ci.class != classChaos && ci.class != classWorkflow) {
		s.recorder.Event(u, corev1.EventTypeWarning, "Failed", fmt.Sprintf("Failed to generate new object: unknown type %q", typ))
		return 10 * time.Second, nil
	}
	paused := u.GetAnnotations()[PauseAnnotation] == "true"
	children := s.list(ci, u.GetNamespace(), func(x *unstructured.Unstructured) bool {
		return x.GetLabels()[LabelManagedBy] == u.GetName()
	})
	sort.Slice(children, func(i, j int) bool {
		return children[i].GetCreationTimestamp().Time.Before(children[j].GetCreationTimestamp().Time)
	})

	// Pause propagates to the children (not for workflow schedules).
	if ci.class == classChaos {
		for _, c := range children {
			if (c.GetAnnotations()[PauseAnnotation] == "true") != paused {
				a := c.GetAnnotations()
				if a == nil {
					a = map[string]string{}
				}
				a[PauseAnnotation] = strconv.FormatBool(paused)
				c.SetAnnotations(a)
				if _, err := s.update(ctx, ci, c); err != nil {
					return 0, err
				}
			}
		}
	}

	// History: delete the oldest finished children beyond historyLimit.
	limit := 1
	if hl, ok := spec["historyLimit"].(int64); ok && hl > 0 {
		limit = int(hl)
	}
	var requeue time.Duration
	kept := children[:0:0]
	excess := len(children) - limit
	for i, c := range children {
		if i < excess && c.GetDeletionTimestamp() == nil {
			if fin, until := s.finished(ci, c, now); fin {
				if err := s.client(ci, c.GetNamespace()).Delete(ctx, c.GetName(), metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
					return 0, err
				}
				continue
			} else if until > 0 && (requeue == 0 || until < requeue) {
				requeue = until
			}
		}
		kept = append(kept, c)
	}
	children = kept

	status, _, _ := unstructured.NestedMap(u.Object, "status")
	if status == nil {
		status = map[string]any{}
	}
	origStatus := deepCopyMap(status)
	earliest := u.GetCreationTimestamp().Time
	if ts, _ := status["time"].(string); ts != "" {
		if t, err := time.Parse(time.RFC3339, ts); err == nil && !t.IsZero() {
			earliest = t
		}
	}
	var startingDeadline time.Duration
	if sd, ok := spec["startingDeadlineSeconds"].(int64); ok && sd > 0 {
		startingDeadline = time.Duration(sd) * time.Second
	}
	sched, _ := spec["schedule"].(string)
	missed, next, err := UnmetScheduleTime(sched, earliest, now, startingDeadline)
	if err != nil {
		s.recorder.Event(u, corev1.EventTypeWarning, "Failed", "Failed to get run time: "+err.Error())
		return 0, nil
	}
	if !paused && missed != nil && (startingDeadline == 0 || !missed.Add(startingDeadline).Before(now)) {
		spawn := true
		policy, _ := spec["concurrencyPolicy"].(string)
		if policy == "" || policy == "Forbid" {
			for _, c := range children {
				if fin, _ := s.finished(ci, c, now); !fin {
					spawn = false
					s.recorder.Event(u, corev1.EventTypeNormal, "Forbid", "Forbid spawning new job because: "+c.GetName()+" is still running")
					break
				}
			}
		}
		if spawn {
			item, _ := spec[field].(map[string]any)
			if item == nil {
				s.recorder.Event(u, corev1.EventTypeWarning, "Failed", "Failed to generate new object: spec."+field+" is missing")
				return 0, nil
			}
			t := true
			child := &unstructured.Unstructured{Object: map[string]any{
				"apiVersion": Group + "/" + ci.gvr.Version,
				"kind":       ci.kind,
				"metadata": map[string]any{
					"generateName": u.GetName() + "-",
					"namespace":    u.GetNamespace(),
					"labels":       map[string]any{LabelManagedBy: u.GetName()},
				},
				"spec": deepCopyMap(item),
			}}
			child.SetOwnerReferences([]metav1.OwnerReference{{
				APIVersion: u.GetAPIVersion(), Kind: u.GetKind(), Name: u.GetName(), UID: u.GetUID(),
				Controller: &t, BlockOwnerDeletion: &t,
			}})
			created, err := s.client(ci, u.GetNamespace()).Create(ctx, child, metav1.CreateOptions{FieldManager: fieldManager})
			if err != nil {
				s.recorder.Event(u, corev1.EventTypeWarning, "Failed", "Failed to create new object: "+err.Error())
				return 0, err
			}
			s.recorder.Event(u, corev1.EventTypeNormal, "Spawned", "Create new object: "+created.GetName())
			children = append(children, created)
			status["time"] = now.UTC().Format(time.RFC3339)
		}
	}
	var active []any
	sort.Slice(children, func(i, j int) bool { return children[i].GetName() < children[j].GetName() })
	for _, c := range children {
		active = append(active, map[string]any{
			"apiVersion": c.GetAPIVersion(), "kind": c.GetKind(), "namespace": c.GetNamespace(),
			"name": c.GetName(), "uid": string(c.GetUID()),
		})
	}
	if len(active) > 0 {
		status["active"] = active
	} else {
		delete(status, "active")
	}
	if !reflect.DeepEqual(jsonNorm(origStatus), jsonNorm(status)) {
		u.Object["status"] = status
		if _, err := s.updateStatus(ctx, info, u); err != nil {
			return 0, err
		}
	}
	after := next.Sub(now) + 10*time.Millisecond
	if requeue > 0 && requeue < after {
		after = requeue + 50*time.Millisecond
	}
	if after < 10*time.Millisecond {
		after = 10 * time.Millisecond
	}
	return after, nil
}

// finished mirrors Chaos Mesh's IsChaosFinished (chaos) or the workflow's
// Accomplished condition, and returns the time until a running chaos stops.
func (s *Simulator) finished(ci *kindInfo, c *unstructured.Unstructured, now time.Time) (bool, time.Duration) {
	if ci.class == classWorkflow {
		return workflowAccomplished(c), 0
	}
	status, _, _ := unstructured.NestedMap(c.Object, "status")
	st := ParseStatus(status)
	action, _, _ := unstructured.NestedString(c.Object, "spec", "action")
	duration, _, _ := unstructured.NestedString(c.Object, "spec", "duration")
	exceeded, until, err := DurationExceeded(c.GetCreationTimestamp().Time, duration, now)
	if err != nil {
		exceeded = true
	}
	return IsFinished(st, IsOneShot(ci.kind, action), exceeded), until
}

func workflowAccomplished(w *unstructured.Unstructured) bool {
	conds, _, _ := unstructured.NestedSlice(w.Object, "status", "conditions")
	for _, c := range conds {
		cm, _ := c.(map[string]any)
		if cm["type"] == "Accomplished" && cm["status"] == "True" {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// Workflow

func (s *Simulator) reconcileWorkflow(ctx context.Context, info *kindInfo, u *unstructured.Unstructured) (time.Duration, error) {
	if u.GetDeletionTimestamp() != nil {
		return 0, nil
	}
	now := s.now().UTC().Truncate(time.Second)
	spec, _, _ := unstructured.NestedMap(u.Object, "spec")
	entry, _ := spec["entry"].(string)
	templates, _ := spec["templates"].([]any)
	status, _, _ := unstructured.NestedMap(u.Object, "status")
	if status == nil {
		status = map[string]any{}
	}
	if _, ok := status["entryNode"].(string); !ok {
		status["entryNode"] = entry + "-" + shortHash(string(u.GetUID()))
		status["startTime"] = now.Format(time.RFC3339)
		status["conditions"] = []any{
			map[string]any{"type": "Accomplished", "status": "False", "reason": ""},
			map[string]any{"type": "Scheduled", "status": "True", "reason": "EntryCreated"},
		}
		u.Object["status"] = status
		if _, err := s.updateStatus(ctx, info, u); err != nil {
			return 0, err
		}
		return 0, nil // the update triggers the next step
	}
	plan, err := PlanWorkflow(entry, templates, func(t string) bool {
		ki := s.kindInfo(t)
		return ki != nil && ki.class == classChaos
	})
	if err != nil {
		s.recorder.Event(u, corev1.EventTypeWarning, "InvalidEntry", err.Error())
		return 0, nil
	}
	start := now
	if ts, _ := status["startTime"].(string); ts != "" {
		if t, err := time.Parse(time.RFC3339, ts); err == nil {
			start = t
		}
	}
	elapsed := now.Sub(start)
	accomplished := workflowAccomplished(u)
	aborted := u.GetAnnotations()[WorkflowAbortAnnotation] == "true"

	var active []Step
	next := time.Duration(0)
	if !accomplished && !aborted {
		active, next = plan.Active(elapsed)
	}
	want := map[string]Step{}
	for _, st := range active {
		want[workflowChildName(u, st)] = st
	}
	// Existing children of this workflow, across chaos kinds and Schedule.
	for _, ki := range s.allKinds() {
		if ki.class != classChaos && ki.class != classSchedule {
			continue
		}
		for _, c := range s.list(ki, u.GetNamespace(), func(x *unstructured.Unstructured) bool {
			return x.GetLabels()[LabelWorkflow] == u.GetName() && ownedBy(x, u.GetUID())
		}) {
			if st, ok := want[c.GetName()]; ok && st.Kind == ki.kind {
				delete(want, c.GetName())
				continue
			}
			if c.GetDeletionTimestamp() == nil {
				if err := s.client(ki, c.GetNamespace()).Delete(ctx, c.GetName(), metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
					return 0, err
				}
			}
		}
	}
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		st := want[name]
		ki := s.kindInfo(st.Kind)
		if ki == nil {
			continue
		}
		tmpl := findTemplate(templates, st.Template)
		item, _ := tmpl[st.Field].(map[string]any)
		t := true
		child := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": Group + "/" + ki.gvr.Version,
			"kind":       ki.kind,
			"metadata": map[string]any{
				"name":      name,
				"namespace": u.GetNamespace(),
				"labels":    map[string]any{LabelWorkflow: u.GetName(), LabelControlledBy: name},
			},
			"spec": deepCopyMap(item),
		}}
		child.SetOwnerReferences([]metav1.OwnerReference{{
			APIVersion: u.GetAPIVersion(), Kind: u.GetKind(), Name: u.GetName(), UID: u.GetUID(),
			Controller: &t, BlockOwnerDeletion: &t,
		}})
		if _, err := s.client(ki, u.GetNamespace()).Create(ctx, child, metav1.CreateOptions{FieldManager: fieldManager}); err != nil && !apierrors.IsAlreadyExists(err) {
			s.recorder.Event(u, corev1.EventTypeWarning, "ChaosCRCreateFailed", err.Error())
			return 0, err
		}
		s.recorder.Event(u, corev1.EventTypeNormal, "ChaosCRCreated", fmt.Sprintf("%s %s created for template %s", st.Kind, name, st.Template))
	}
	if !accomplished && !aborted && elapsed >= plan.Total {
		status["endTime"] = start.Add(plan.Total).Format(time.RFC3339)
		status["conditions"] = []any{
			map[string]any{"type": "Accomplished", "status": "True", "reason": "WorkflowAccomplished"},
			map[string]any{"type": "Scheduled", "status": "True", "reason": "EntryCreated"},
		}
		u.Object["status"] = status
		if _, err := s.updateStatus(ctx, info, u); err != nil {
			return 0, err
		}
		s.recorder.Event(u, corev1.EventTypeNormal, "WorkflowAccomplished", "Workflow accomplished")
		return 0, nil
	}
	if accomplished || aborted {
		return 0, nil
	}
	return next - elapsed + 50*time.Millisecond, nil
}

func findTemplate(templates []any, name string) map[string]any {
	for _, t := range templates {
		if m, ok := t.(map[string]any); ok && m["name"] == name {
			return m
		}
	}
	return map[string]any{}
}

func workflowChildName(wf *unstructured.Unstructured, st Step) string {
	base := strings.ToLower(st.Template)
	if len(base) > 50 {
		base = base[:50]
	}
	return strings.Trim(base, "-.") + "-" + shortHash(string(wf.GetUID())+"/"+st.Path)
}

// ---------------------------------------------------------------------------
// Garbage collection. No kube-controller-manager runs, so its garbage
// collector is missing; the simulator does its job for chaos-mesh.org objects
// owned by chaos-mesh.org objects (Schedule and Workflow children).

// collectOrphan deletes u when every chaos-mesh.org owner it names is gone.
func (s *Simulator) collectOrphan(ctx context.Context, info *kindInfo, u *unstructured.Unstructured) (bool, error) {
	refs := u.GetOwnerReferences()
	if len(refs) == 0 || u.GetDeletionTimestamp() != nil {
		return false, nil
	}
	for _, ref := range refs {
		oi := s.ownerInfo(ref)
		if oi == nil {
			return false, nil // an owner outside chaos-mesh.org: not ours to judge
		}
		if o, ok := s.get(oi, u.GetNamespace(), ref.Name); ok && o.GetUID() == ref.UID {
			return false, nil
		}
		// Not in the cache: confirm with the API before deleting anything.
		o, err := s.client(oi, u.GetNamespace()).Get(ctx, ref.Name, metav1.GetOptions{})
		if err == nil && o.GetUID() == ref.UID {
			return false, nil
		}
		if err != nil && !apierrors.IsNotFound(err) {
			return false, err
		}
	}
	bg := metav1.DeletePropagationBackground
	err := s.client(info, u.GetNamespace()).Delete(ctx, u.GetName(), metav1.DeleteOptions{
		PropagationPolicy: &bg, Preconditions: &metav1.Preconditions{UID: ptrUID(u.GetUID())},
	})
	if err != nil && !apierrors.IsNotFound(err) && !apierrors.IsConflict(err) {
		return false, err
	}
	s.cfg.Logf("garbage-collected %s %s/%s (owner gone)", info.kind, u.GetNamespace(), u.GetName())
	return true, nil
}

// collectDependents handles the foregroundDeletion and orphan finalizers that
// kube-apiserver puts on an object deleted with those propagation policies.
func (s *Simulator) collectDependents(ctx context.Context, info *kindInfo, u *unstructured.Unstructured) (bool, time.Duration, error) {
	fg := contains(u.GetFinalizers(), metav1.FinalizerDeleteDependents)
	orphan := contains(u.GetFinalizers(), metav1.FinalizerOrphanDependents)
	if !fg && !orphan {
		return false, 0, nil
	}
	type dep struct {
		ki *kindInfo
		o  *unstructured.Unstructured
	}
	var deps []dep
	for _, ki := range s.allKinds() {
		for _, o := range s.list(ki, u.GetNamespace(), func(x *unstructured.Unstructured) bool { return ownedBy(x, u.GetUID()) }) {
			deps = append(deps, dep{ki, o})
		}
	}
	if orphan {
		for _, d := range deps {
			var keep []metav1.OwnerReference
			for _, r := range d.o.GetOwnerReferences() {
				if r.UID != u.GetUID() {
					keep = append(keep, r)
				}
			}
			d.o.SetOwnerReferences(keep)
			if _, err := s.update(ctx, d.ki, d.o); err != nil && !apierrors.IsNotFound(err) {
				return true, 0, err
			}
		}
		u.SetFinalizers(without(u.GetFinalizers(), metav1.FinalizerOrphanDependents))
		_, err := s.update(ctx, info, u)
		return true, 0, err
	}
	if len(deps) > 0 {
		for _, d := range deps {
			if d.o.GetDeletionTimestamp() != nil {
				continue
			}
			bg := metav1.DeletePropagationBackground
			if err := s.client(d.ki, d.o.GetNamespace()).Delete(ctx, d.o.GetName(), metav1.DeleteOptions{PropagationPolicy: &bg}); err != nil && !apierrors.IsNotFound(err) {
				return true, 0, err
			}
		}
		return true, 500 * time.Millisecond, nil
	}
	u.SetFinalizers(without(u.GetFinalizers(), metav1.FinalizerDeleteDependents))
	updated, err := s.update(ctx, info, u)
	if err != nil {
		return true, 0, err
	}
	// The object may still carry our records finalizer: carry on with it.
	if updated != nil && len(updated.GetFinalizers()) > 0 {
		return true, 10 * time.Millisecond, nil
	}
	return true, 0, nil
}

// ---------------------------------------------------------------------------
// helpers

func (s *Simulator) list(ki *kindInfo, ns string, keep func(*unstructured.Unstructured) bool) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, o := range ki.informer.GetStore().List() {
		x := o.(*unstructured.Unstructured)
		if x.GetNamespace() == ns && keep(x) {
			out = append(out, x.DeepCopy())
		}
	}
	return out
}

func ownedBy(x *unstructured.Unstructured, uid types.UID) bool {
	for _, r := range x.GetOwnerReferences() {
		if r.UID == uid {
			return true
		}
	}
	return false
}

func without(list []string, s string) []string {
	var out []string
	for _, v := range list {
		if v != s {
			out = append(out, v)
		}
	}
	return out
}

func shortHash(s string) string {
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	h := fnv.New64a()
	h.Write([]byte(s))
	v := h.Sum64()
	out := make([]byte, 5)
	for i := range out {
		out[i] = alphabet[v%uint64(len(alphabet))]
		v /= uint64(len(alphabet))
	}
	return string(out)
}

func deepCopyMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return runtimeDeepCopy(m)
}

func runtimeDeepCopy(m map[string]any) map[string]any {
	return (&unstructured.Unstructured{Object: m}).DeepCopy().Object
}

func jsonNorm(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func ptrUID(u types.UID) *types.UID { return &u }

func labelsEverything() labels.Selector { return labels.Everything() }
