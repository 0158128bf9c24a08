package sim

import (
	"encoding/json"
	"testing"
	"time"
)

// The shape of Chaos Mesh's examples/workflow/serial.yaml.
const serialWorkflow = `{
  "entry": "the-entry",
  "templates": [
    {"name": "the-entry", "templateType": "Serial", "deadline": "240s",
     "children": ["workflow-stress-chaos", "prefix-suspending", "workflow-network-chaos", "suffix-suspending", "workflow-pod-chaos"]},
    {"name": "prefix-suspending", "templateType": "Suspend", "deadline": "10s"},
    {"name": "workflow-network-chaos", "templateType": "NetworkChaos", "deadline": "20s",
     "networkChaos": {"action": "delay", "mode": "all", "selector": {"labelSelectors": {"app": "x"}}}},
    {"name": "workflow-pod-chaos", "templateType": "Schedule", "deadline": "40s",
     "schedule": {"schedule": "@every 2s", "type": "PodChaos", "podChaos": {"action": "pod-kill", "mode": "one"}}},
    {"name": "workflow-stress-chaos", "templateType": "StressChaos", "deadline": "20s",
     "stressChaos": {"mode": "one", "selector": {"labelSelectors": {"app": "x"}}}},
    {"name": "suffix-suspending", "templateType": "Suspend", "deadline": "5s"}
  ]
}`

func isChaos(k string) bool { return k == "NetworkChaos" || k == "StressChaos" || k == "PodChaos" }

func plan(t *testing.T, js string) Plan {
	t.Helper()
	var spec struct {
		Entry     string `json:"entry"`
		Templates []any  `json:"templates"`
	}
	if err := json.Unmarshal([]byte(js), &spec); err != nil {
		t.Fatal(err)
	}
	p, err := PlanWorkflow(spec.Entry, spec.Templates, isChaos)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlanSerial(t *testing.T) {
	p := plan(t, serialWorkflow)
	if p.Total != 95*time.Second { // 20 + 10 + 20 + 5 + 40
		t.Fatalf("total %s", p.Total)
	}
	at := func(sec int) []string {
		act, _ := p.Active(time.Duration(sec) * time.Second)
		var out []string
		for _, s := range act {
			out = append(out, s.Kind+":"+s.Template)
		}
		return out
	}
	if a := at(5); len(a) != 1 || a[0] != "StressChaos:workflow-stress-chaos" {
		t.Fatalf("t=5: %v", a)
	}
	if a := at(25); len(a) != 0 { // suspended
		t.Fatalf("t=25: %v", a)
	}
	if a := at(35); len(a) != 1 || a[0] != "NetworkChaos:workflow-network-chaos" {
		t.Fatalf("t=35: %v", a)
	}
	if a := at(60); len(a) != 1 || a[0] != "Schedule:workflow-pod-chaos" {
		t.Fatalf("t=60: %v", a)
	}
	if a := at(95); len(a) != 0 {
		t.Fatalf("t=95: %v", a)
	}
	if _, next := p.Active(25 * time.Second); next != 30*time.Second {
		t.Fatalf("next change after t=25: %s", next)
	}
	for _, s := range p.Steps {
		if s.Kind == "Schedule" && s.Field != "schedule" || s.Kind == "NetworkChaos" && s.Field != "networkChaos" {
			t.Fatalf("field of %s: %s", s.Kind, s.Field)
		}
	}
}

func TestPlanParallelDeadline(t *testing.T) {
	p := plan(t, `{"entry": "p", "templates": [
	  {"name": "p", "templateType": "Parallel", "deadline": "15s", "children": ["a", "b"]},
	  {"name": "a", "templateType": "PodChaos", "podChaos": {"action": "pod-failure", "duration": "10s"}},
	  {"name": "b", "templateType": "NetworkChaos", "deadline": "1m", "networkChaos": {"action": "loss"}}
	]}`)
	if p.Total != 15*time.Second {
		t.Fatalf("total %s", p.Total)
	}
	if act, _ := p.Active(5 * time.Second); len(act) != 2 {
		t.Fatalf("t=5: %v", act)
	}
	if act, _ := p.Active(12 * time.Second); len(act) != 1 || act[0].Template != "b" {
		t.Fatalf("t=12: %v", act)
	}
	if act, _ := p.Active(15 * time.Second); len(act) != 0 {
		t.Fatalf("t=15 (clipped by parent deadline): %v", act)
	}
}

func TestPlanErrors(t *testing.T) {
	var tpl []any
	_ = json.Unmarshal([]byte(`[{"name": "a", "templateType": "Serial", "children": ["a"]}]`), &tpl)
	if _, err := PlanWorkflow("a", tpl, isChaos); err == nil {
		t.Fatal("cycle: want error")
	}
	if _, err := PlanWorkflow("missing", tpl, isChaos); err == nil {
		t.Fatal("missing entry: want error")
	}
}
