package sim

import (
	"fmt"
	"time"
)

// Workflow simulation. Chaos Mesh runs a Workflow through WorkflowNode objects;
// the simulator keeps it smaller: it turns the template tree into a timeline
// (Serial children one after another, Parallel children together, each node
// bounded by its deadline) and, while the workflow runs, keeps exactly the
// chaos objects (and Schedules) of the currently active leaves in existence,
// labelled chaos-mesh.org/workflow=<workflow> and owned by the Workflow. When
// the timeline ends the Workflow gets Accomplished=True.

// Step is a leaf of the timeline that creates an object while it is active.
type Step struct {
	Path     string // unique path of template names from the entry
	Template string
	Kind     string // chaos kind, or "Schedule"
	Field    string // template field holding the embedded spec
	Start    time.Duration
	End      time.Duration
}

// Plan is a workflow's timeline.
type Plan struct {
	Total time.Duration
	Steps []Step
}

// minLeaf is the window given to a chaos leaf that has neither a deadline nor
// a duration, so that it is at least created once.
const minLeaf = time.Second

// PlanWorkflow builds the timeline of spec (entry + templates as decoded JSON).
// isChaosKind tells whether a templateType names a chaos kind.
func PlanWorkflow(entry string, templates []any, isChaosKind func(string) bool) (Plan, error) {
	byName := map[string]map[string]any{}
	for _, t := range templates {
		m, ok := t.(map[string]any)
		if !ok {
			continue
		}
		if n, _ := m["name"].(string); n != "" {
			byName[n] = m
		}
	}
	var p Plan
	total, err := planNode(entry, entry, 0, 0, byName, isChaosKind, &p)
	if err != nil {
		return Plan{}, err
	}
	p.Total = total
	return p, nil
}

func planNode(name, path string, start time.Duration, depth int, byName map[string]map[string]any, isChaos func(string) bool, p *Plan) (time.Duration, error) {
	if depth > 64 {
		return 0, fmt.Errorf("workflow template nesting too deep at %s", path)
	}
	t, ok := byName[name]
	if !ok {
		return 0, fmt.Errorf("no such template %q", name)
	}
	typ, _ := t["templateType"].(string)
	var deadline time.Duration
	hasDeadline := false
	if d, _ := t["deadline"].(string); d != "" {
		dd, err := time.ParseDuration(d)
		if err != nil {
			return 0, fmt.Errorf("template %s: deadline: %w", name, err)
		}
		deadline, hasDeadline = dd, true
	}
	bound := func(d time.Duration) time.Duration {
		if hasDeadline && deadline < d {
			return deadline
		}
		return d
	}
	children := func() []string {
		var out []string
		if cs, ok := t["children"].([]any); ok {
			for _, c := range cs {
				if s, ok := c.(string); ok {
					out = append(out, s)
				}
			}
		}
		return out
	}
	switch {
	case typ == "Serial":
		var sum time.Duration
		for i, c := range children() {
			cs := start + sum
			if hasDeadline && sum >= deadline {
				break
			}
			d, err := planNode(c, fmt.Sprintf("%s/%d-%s", path, i, c), cs, depth+1, byName, isChaos, p)
			if err != nil {
				return 0, err
			}
			sum += d
		}
		d := bound(sum)
		clip(p, start+d)
		return d, nil
	case typ == "Parallel":
		var max time.Duration
		for i, c := range children() {
			d, err := planNode(c, fmt.Sprintf("%s/%d-%s", path, i, c), start, depth+1, byName, isChaos, p)
			if err != nil {
				return 0, err
			}
			if d > max {
				max = d
			}
		}
		d := bound(max)
		clip(p, start+d)
		return d, nil
	case typ == "Schedule" || isChaos(typ):
		kind, field := typ, "schedule"
		if typ != "Schedule" {
			f, err := ScheduleItemField(typ)
			if err != nil {
				return 0, err
			}
			field = f
		}
		d := deadline
		if !hasDeadline {
			if spec, ok := t[field].(map[string]any); ok {
				if ds, _ := spec["duration"].(string); ds != "" {
					if dd, err := time.ParseDuration(ds); err == nil {
						d = dd
					}
				}
			}
		}
		if d <= 0 {
			d = minLeaf
		}
		p.Steps = append(p.Steps, Step{Path: path, Template: name, Kind: kind, Field: field, Start: start, End: start + d})
		return d, nil
	default:
		// Suspend, Task, StatusCheck and conditional branches take their
		// deadline (if any) and create nothing here.
		if hasDeadline {
			return deadline, nil
		}
		return 0, nil
	}
}

// clip ends every step that would outlive end (a parent's deadline).
func clip(p *Plan, end time.Duration) {
	for i := range p.Steps {
		if p.Steps[i].End > end {
			p.Steps[i].End = end
		}
	}
}

// Active returns the steps running at elapsed, and the next time the set of
// active steps (or the workflow's end) changes.
func (p Plan) Active(elapsed time.Duration) ([]Step, time.Duration) {
	var out []Step
	next := p.Total
	for _, s := range p.Steps {
		if s.Start <= elapsed && elapsed < s.End {
			out = append(out, s)
		}
		if s.Start > elapsed && s.Start < next {
			next = s.Start
		}
		if s.End > elapsed && s.End < next {
			next = s.End
		}
	}
	return out, next
}
