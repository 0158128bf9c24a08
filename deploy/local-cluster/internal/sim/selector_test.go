package sim

import (
	"errors"
	"reflect"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func pods() []Candidate {
	mk := func(ns, name, app, tier, node, phase string, ann map[string]string) Candidate {
		return Candidate{Namespace: ns, Name: name, Labels: map[string]string{"app": app, "tier": tier, "version": "v1"},
			Annotations: ann, NodeName: node, Phase: phase, Containers: []string{app, "sidecar"}}
	}
	return []Candidate{
		mk("chaos-dev", "order-abc-1", "order", "backend", "local-node-1", "Running", map[string]string{"team": "shop"}),
		mk("chaos-dev", "order-abc-2", "order", "backend", "local-node-2", "Running", nil),
		mk("chaos-dev", "payment-x-1", "payment", "backend", "local-node-1", "Running", nil),
		mk("chaos-dev", "gateway-y-1", "gateway", "frontend", "local-node-2", "Pending", nil),
		mk("chaos-staging", "order-def-1", "order", "backend", "local-node-1", "Running", nil),
		mk("default", "legacy-app-1", "legacy-app", "backend", "local-node-1", "Running", nil),
	}
}

func names(c []Candidate) []string {
	var out []string
	for _, x := range c {
		out = append(out, x.Namespace+"/"+x.Name)
	}
	return out
}

func TestMatch(t *testing.T) {
	nodeLabels := map[string]map[string]string{
		"local-node-1": {"topology.kubernetes.io/zone": "zone-a"},
		"local-node-2": {"topology.kubernetes.io/zone": "zone-b"},
	}
	cases := []struct {
		name string
		spec SelectorSpec
		def  string
		want []string
	}{
		{"labels default to the object's namespace", SelectorSpec{LabelSelectors: map[string]string{"app": "order"}}, "chaos-dev",
			[]string{"chaos-dev/order-abc-1", "chaos-dev/order-abc-2"}},
		{"label subset across namespaces", SelectorSpec{Namespaces: []string{"chaos-dev", "chaos-staging"}, LabelSelectors: map[string]string{"app": "order"}}, "x",
			[]string{"chaos-dev/order-abc-1", "chaos-dev/order-abc-2", "chaos-staging/order-def-1"}},
		{"label value mismatch", SelectorSpec{LabelSelectors: map[string]string{"app": "order", "version": "v2"}}, "chaos-dev", nil},
		{"expression In", SelectorSpec{ExpressionSelectors: []metav1.LabelSelectorRequirement{
			{Key: "app", Operator: metav1.LabelSelectorOpIn, Values: []string{"payment", "gateway"}}}}, "chaos-dev",
			[]string{"chaos-dev/gateway-y-1", "chaos-dev/payment-x-1"}},
		{"expression NotIn and labels", SelectorSpec{LabelSelectors: map[string]string{"tier": "backend"}, ExpressionSelectors: []metav1.LabelSelectorRequirement{
			{Key: "app", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"order"}}}}, "chaos-dev",
			[]string{"chaos-dev/payment-x-1"}},
		{"annotations", SelectorSpec{AnnotationSelectors: map[string]string{"team": "shop"}}, "chaos-dev", []string{"chaos-dev/order-abc-1"}},
		{"nodes", SelectorSpec{Nodes: []string{"local-node-2"}}, "chaos-dev", []string{"chaos-dev/gateway-y-1", "chaos-dev/order-abc-2"}},
		{"node selectors", SelectorSpec{NodeSelectors: map[string]string{"topology.kubernetes.io/zone": "zone-a"}, LabelSelectors: map[string]string{"app": "order"}}, "chaos-dev",
			[]string{"chaos-dev/order-abc-1"}},
		{"phase", SelectorSpec{PodPhaseSelectors: []string{"Pending"}}, "chaos-dev", []string{"chaos-dev/gateway-y-1"}},
		{"field selector", SelectorSpec{FieldSelectors: map[string]string{"metadata.name": "payment-x-1"}}, "chaos-dev", []string{"chaos-dev/payment-x-1"}},
		{"pods list wins over other selectors", SelectorSpec{Pods: map[string][]string{"chaos-staging": {"order-def-1", "missing"}}, LabelSelectors: map[string]string{"app": "nope"}}, "chaos-dev",
			[]string{"chaos-staging/order-def-1"}},
		{"never leaks into another namespace", SelectorSpec{LabelSelectors: map[string]string{"app": "legacy-app"}}, "chaos-dev", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Match(pods(), c.spec, c.def, nodeLabels)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(names(got), c.want) {
				t.Fatalf("got %v, want %v", names(got), c.want)
			}
		})
	}
}

func TestMatchBadExpression(t *testing.T) {
	_, err := Match(pods(), SelectorSpec{ExpressionSelectors: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Bogus"}}}, "chaos-dev", nil)
	if err == nil {
		t.Fatal("want error for an invalid operator")
	}
}

func TestFilterByMode(t *testing.T) {
	count := func(mode, value string, n int) int {
		t.Helper()
		idx, err := FilterByMode(mode, value, n)
		if err != nil {
			t.Fatalf("%s/%s: %v", mode, value, err)
		}
		seen := map[int]bool{}
		for _, i := range idx {
			if i < 0 || i >= n || seen[i] {
				t.Fatalf("%s/%s: bad or duplicate index %d in %v", mode, value, i, idx)
			}
			seen[i] = true
		}
		return len(idx)
	}
	for i := 0; i < 50; i++ {
		if got := count(ModeOne, "", 7); got != 1 {
			t.Fatalf("one: %d", got)
		}
		if got := count(ModeAll, "", 7); got != 7 {
			t.Fatalf("all: %d", got)
		}
		if got := count(ModeFixed, "3", 7); got != 3 {
			t.Fatalf("fixed 3: %d", got)
		}
		if got := count(ModeFixed, "30", 7); got != 7 {
			t.Fatalf("fixed above count: %d", got)
		}
		if got := count(ModeFixedPercent, "50", 7); got != 4 { // ceil(3.5)
			t.Fatalf("fixed-percent 50 of 7: %d", got)
		}
		if got := count(ModeFixedPercent, "100", 3); got != 3 {
			t.Fatalf("fixed-percent 100: %d", got)
		}
		if got := count(ModeRandomMaxPercent, "50", 10); got > 5 {
			t.Fatalf("random-max-percent 50 of 10: %d", got)
		}
	}
	for _, bad := range []struct{ mode, value string }{
		{ModeFixed, "0"}, {ModeFixed, "x"}, {ModeFixedPercent, "0"}, {ModeFixedPercent, "101"},
		{ModeRandomMaxPercent, "0"}, {ModeRandomMaxPercent, "-1"}, {"some", ""},
	} {
		if _, err := FilterByMode(bad.mode, bad.value, 5); err == nil {
			t.Errorf("%s/%s: want error", bad.mode, bad.value)
		}
	}
	if _, err := FilterByMode(ModeAll, "", 0); err == nil {
		t.Error("empty list: want error")
	}
}

func TestSelect(t *testing.T) {
	got, err := Select(pods(), PodSelector{Selector: SelectorSpec{LabelSelectors: map[string]string{"app": "order"}}, Mode: ModeOne}, "chaos-dev", nil)
	if err != nil || len(got) != 1 || got[0].Labels["app"] != "order" || got[0].Namespace != "chaos-dev" {
		t.Fatalf("one: %v %v", names(got), err)
	}
	_, err = Select(pods(), PodSelector{Selector: SelectorSpec{LabelSelectors: map[string]string{"app": "nope"}}, Mode: ModeAll}, "chaos-dev", nil)
	if !errors.Is(err, ErrNoTarget) {
		t.Fatalf("want ErrNoTarget, got %v", err)
	}
}

func TestRecordsFor(t *testing.T) {
	sel := pods()[:2]
	pod := RecordsFor(sel, ".", false, nil)
	if len(pod) != 2 || pod[0].ID != "chaos-dev/order-abc-1" || pod[0].SelectorKey != "." || pod[0].Phase != NotInjected {
		t.Fatalf("pod records: %+v", pod[0])
	}
	first := RecordsFor(sel, ".", true, nil)
	if len(first) != 2 || first[1].ID != "chaos-dev/order-abc-2/order" {
		t.Fatalf("first-container records: %+v", first)
	}
	named := RecordsFor(sel, ".Target", true, []string{"sidecar", "missing"})
	if len(named) != 2 || named[0].ID != "chaos-dev/order-abc-1/sidecar" || named[0].SelectorKey != ".Target" {
		t.Fatalf("named-container records: %+v", named)
	}
}
