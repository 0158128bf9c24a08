// Package sim is the Chaos Mesh status simulator of the local control plane.
// It stands in for Chaos Mesh's controller-manager and daemons, which need real
// nodes: it injects nothing, but it writes the same finalizer, records,
// conditions and child objects that Chaos Mesh v2.8 writes, so that chaosgate's
// executor, reconciler and emergency stop can be tested against a real
// kube-apiserver. This file holds the target selection (pure functions).
package sim

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
)

// Selector modes (Chaos Mesh v1alpha1.SelectorMode).
const (
	ModeOne              = "one"
	ModeAll              = "all"
	ModeFixed            = "fixed"
	ModeFixedPercent     = "fixed-percent"
	ModeRandomMaxPercent = "random-max-percent"
)

// SelectorSpec mirrors Chaos Mesh's PodSelectorSpec (GenericSelectorSpec plus
// the pod-specific fields).
type SelectorSpec struct {
	Namespaces          []string                          `json:"namespaces,omitempty"`
	FieldSelectors      map[string]string                 `json:"fieldSelectors,omitempty"`
	LabelSelectors      map[string]string                 `json:"labelSelectors,omitempty"`
	ExpressionSelectors []metav1.LabelSelectorRequirement `json:"expressionSelectors,omitempty"`
	AnnotationSelectors map[string]string                 `json:"annotationSelectors,omitempty"`
	Nodes               []string                          `json:"nodes,omitempty"`
	Pods                map[string][]string               `json:"pods,omitempty"`
	NodeSelectors       map[string]string                 `json:"nodeSelectors,omitempty"`
	PodPhaseSelectors   []string                          `json:"podPhaseSelectors,omitempty"`
}

// PodSelector is a selector with its mode, as embedded in chaos specs.
type PodSelector struct {
	Selector       SelectorSpec `json:"selector"`
	Mode           string       `json:"mode"`
	Value          string       `json:"value,omitempty"`
	ContainerNames []string     `json:"containerNames,omitempty"`
}

// Candidate is an object that can be selected: a Pod, or a PhysicalMachine.
type Candidate struct {
	Namespace, Name string
	Labels          map[string]string
	Annotations     map[string]string
	NodeName        string // pods only
	Phase           string // pods only
	Containers      []string
}

// ErrNoTarget is returned when the selector matches nothing (Chaos Mesh: "no
// pod is selected").
var ErrNoTarget = errors.New("no pod is selected")

// Match returns the candidates matching spec, sorted by namespace/name.
// defaultNamespace replaces an empty namespace list, as Chaos Mesh's webhook
// defaults selector.namespaces to the chaos object's namespace.
// nodeLabels maps node names to labels (for nodeSelectors).
func Match(cands []Candidate, spec SelectorSpec, defaultNamespace string, nodeLabels map[string]map[string]string) ([]Candidate, error) {
	var out []Candidate
	if len(spec.Pods) > 0 {
		// An explicit pod list takes precedence over every other selector.
		for _, c := range cands {
			for _, n := range spec.Pods[c.Namespace] {
				if n == c.Name {
					out = append(out, c)
					break
				}
			}
		}
		sortCands(out)
		return out, nil
	}
	namespaces := spec.Namespaces
	if len(namespaces) == 0 && defaultNamespace != "" {
		namespaces = []string{defaultNamespace}
	}
	var expr labels.Selector
	if len(spec.ExpressionSelectors) > 0 {
		var err error
		expr, err = metav1.LabelSelectorAsSelector(&metav1.LabelSelector{MatchExpressions: spec.ExpressionSelectors})
		if err != nil {
			return nil, fmt.Errorf("expressionSelectors: %w", err)
		}
	}
	var fieldSel fields.Selector
	if len(spec.FieldSelectors) > 0 {
		fieldSel = fields.SelectorFromSet(fields.Set(spec.FieldSelectors))
	}
	var nodeSel labels.Selector
	if len(spec.NodeSelectors) > 0 {
		nodeSel = labels.SelectorFromSet(spec.NodeSelectors)
	}
	for _, c := range cands {
		if len(namespaces) > 0 && !contains(namespaces, c.Namespace) {
			continue
		}
		if !subset(spec.LabelSelectors, c.Labels) || !subset(spec.AnnotationSelectors, c.Annotations) {
			continue
		}
		if expr != nil && !expr.Matches(labels.Set(c.Labels)) {
			continue
		}
		if fieldSel != nil && !fieldSel.Matches(fields.Set{
			"metadata.name": c.Name, "metadata.namespace": c.Namespace,
			"spec.nodeName": c.NodeName, "status.phase": c.Phase,
		}) {
			continue
		}
		if len(spec.Nodes) > 0 && !contains(spec.Nodes, c.NodeName) {
			continue
		}
		if nodeSel != nil && (c.NodeName == "" || !nodeSel.Matches(labels.Set(nodeLabels[c.NodeName]))) {
			continue
		}
		if len(spec.PodPhaseSelectors) > 0 && !contains(spec.PodPhaseSelectors, c.Phase) {
			continue
		}
		out = append(out, c)
	}
	sortCands(out)
	return out, nil
}

// Select matches and then filters by mode, like Chaos Mesh's
// SelectAndFilterPods. It fails with ErrNoTarget when nothing matches.
func Select(cands []Candidate, ps PodSelector, defaultNamespace string, nodeLabels map[string]map[string]string) ([]Candidate, error) {
	matched, err := Match(cands, ps.Selector, defaultNamespace, nodeLabels)
	if err != nil {
		return nil, err
	}
	if len(matched) == 0 {
		return nil, ErrNoTarget
	}
	idx, err := FilterByMode(ps.Mode, ps.Value, len(matched))
	if err != nil {
		return nil, err
	}
	out := make([]Candidate, 0, len(idx))
	for _, i := range idx {
		out = append(out, matched[i])
	}
	sortCands(out)
	return out, nil
}

// FilterByMode returns the indexes (of count objects) that mode/value select,
// with Chaos Mesh's semantics (pkg/selector/generic/mode.go).
func FilterByMode(mode, value string, count int) ([]int, error) {
	if count == 0 {
		return nil, errors.New("cannot generate objects from empty list")
	}
	switch mode {
	case ModeOne:
		return []int{randInt(count)}, nil
	case ModeAll:
		return randomIndexes(count, count), nil
	case ModeFixed:
		num, err := strconv.Atoi(value)
		if err != nil {
			return nil, err
		}
		if count < num {
			num = count
		}
		if num <= 0 {
			return nil, errors.New("cannot select any object as value below or equal 0")
		}
		return randomIndexes(count, num), nil
	case ModeFixedPercent:
		pct, err := strconv.Atoi(value)
		if err != nil {
			return nil, err
		}
		if pct == 0 {
			return nil, errors.New("cannot select any object as value below or equal 0")
		}
		if pct < 0 || pct > 100 {
			return nil, fmt.Errorf("fixed percentage value of %d is invalid, Must be (0,100]", pct)
		}
		return randomIndexes(count, int(math.Ceil(float64(count)*float64(pct)/100))), nil
	case ModeRandomMaxPercent:
		maxPct, err := strconv.Atoi(value)
		if err != nil {
			return nil, err
		}
		if maxPct == 0 {
			return nil, errors.New("cannot select any object as value below or equal 0")
		}
		if maxPct < 0 || maxPct > 100 {
			return nil, fmt.Errorf("fixed percentage value of %d is invalid, Must be [0-100]", maxPct)
		}
		pct := randInt(maxPct + 1)
		return randomIndexes(count, int(math.Ceil(float64(count)*float64(pct)/100))), nil
	default:
		return nil, fmt.Errorf("mode %s not supported", mode)
	}
}

// randomIndexes picks n distinct indexes out of [0,count).
func randomIndexes(count, n int) []int {
	if n >= count {
		out := make([]int, count)
		for i := range out {
			out[i] = i
		}
		return out
	}
	seen := map[int]bool{}
	out := make([]int, 0, n)
	for len(out) < n {
		i := randInt(count)
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	sort.Ints(out)
	return out
}

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		return 0
	}
	return int(v.Int64())
}

func sortCands(c []Candidate) {
	sort.Slice(c, func(i, j int) bool {
		if c[i].Namespace != c[j].Namespace {
			return c[i].Namespace < c[j].Namespace
		}
		return c[i].Name < c[j].Name
	})
}

func subset(want, have map[string]string) bool {
	for k, v := range want {
		if hv, ok := have[k]; !ok || hv != v {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
