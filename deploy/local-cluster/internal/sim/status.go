package sim

import (
	"encoding/json"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Names Chaos Mesh v2.8 uses (api/v1alpha1, controllers/common/finalizers).
const (
	RecordFinalizer          = "chaos-mesh/records"
	PauseAnnotation          = "experiment.chaos-mesh.org/pause"
	CleanFinalizerAnnotation = "chaos-mesh.chaos-mesh.org/cleanFinalizer"
	CleanFinalizerForced     = "forced"
	LabelManagedBy           = "managed-by"
	LabelWorkflow            = "chaos-mesh.org/workflow"
	LabelControlledBy        = "chaos-mesh.org/controlled-by"
	WorkflowAbortAnnotation  = "workflow.chaos-mesh.org/abort"

	PhaseRun  = "Run"
	PhaseStop = "Stop"

	Injected    = "Injected"
	NotInjected = "Not Injected"

	CondSelected     = "Selected"
	CondAllInjected  = "AllInjected"
	CondAllRecovered = "AllRecovered"
	CondPaused       = "Paused"

	// MaxEvents is Chaos Mesh's default MAX_EVENTS per record.
	MaxEvents = 100
)

// Condition is a ChaosCondition.
type Condition struct {
	Type   string `json:"type"`
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// RecordEvent is a Chaos Mesh RecordEvent.
type RecordEvent struct {
	Type      string       `json:"type"`      // Succeeded | Failed
	Operation string       `json:"operation"` // Apply | Recover
	Message   string       `json:"message,omitempty"`
	Timestamp *metav1.Time `json:"timestamp"`
}

// Record is a Chaos Mesh Record (status.experiment.containerRecords[]).
type Record struct {
	ID             string        `json:"id"`
	SelectorKey    string        `json:"selectorKey"`
	Phase          string        `json:"phase"`
	InjectedCount  int           `json:"injectedCount"`
	RecoveredCount int           `json:"recoveredCount"`
	Events         []RecordEvent `json:"events,omitempty"`
}

// Experiment is status.experiment.
type Experiment struct {
	DesiredPhase string    `json:"desiredPhase,omitempty"`
	Records      []*Record `json:"containerRecords,omitempty"`
}

// ChaosStatus is the common part of every chaos kind's status.
type ChaosStatus struct {
	Conditions []Condition `json:"conditions,omitempty"`
	Experiment Experiment  `json:"experiment"`
}

// ParseStatus reads status.conditions and status.experiment from an object's
// status map (other status fields are left to the caller).
func ParseStatus(status map[string]any) ChaosStatus {
	var st ChaosStatus
	if status == nil {
		return st
	}
	b, err := json.Marshal(map[string]any{"conditions": status["conditions"], "experiment": status["experiment"]})
	if err == nil {
		_ = json.Unmarshal(b, &st)
	}
	return st
}

// ToMap renders st for merging into an unstructured status map.
func (st ChaosStatus) ToMap() map[string]any {
	b, _ := json.Marshal(st)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// DesiredPhase computes status.experiment.desiredPhase like Chaos Mesh's
// desiredphase controller: deleted, then one-shot, then duration, then pause.
func DesiredPhase(deleted, oneShot, durationExceeded, paused bool) string {
	switch {
	case deleted:
		return PhaseStop
	case oneShot:
		return PhaseRun
	case durationExceeded:
		return PhaseStop
	case paused:
		return PhaseStop
	}
	return PhaseRun
}

// DurationExceeded reports whether creation+duration is before now, and the
// time left otherwise. An empty duration never expires.
func DurationExceeded(created time.Time, duration string, now time.Time) (bool, time.Duration, error) {
	if duration == "" {
		return false, 0, nil
	}
	d, err := time.ParseDuration(duration)
	if err != nil {
		return false, 0, err
	}
	stop := created.Add(d)
	if stop.Before(now) {
		return true, 0, nil
	}
	return false, stop.Sub(now), nil
}

// IsOneShot reports the kinds/actions Chaos Mesh marks as one-shot
// (+chaos-mesh:oneshot): they stay in desiredPhase Run until deleted.
func IsOneShot(kind, action string) bool {
	switch kind {
	case "PodChaos":
		return action == "pod-kill" || action == "container-kill"
	case "AWSChaos":
		return action == "ec2-restart"
	case "AzureChaos":
		return action == "vm-restart"
	case "GCPChaos":
		return action == "node-reset"
	}
	return false
}

// StepRecords moves every record towards desired, like Chaos Mesh's records
// controller with an implementation that always succeeds. When holdRecovery is
// set, recovery fails instead (each record stays Injected and gets one Failed
// Recover event, not repeated while the failure persists). It reports whether
// anything changed.
func StepRecords(records []*Record, desired string, now time.Time, holdRecovery bool, holdMsg string) bool {
	changed := false
	ts := metav1.NewTime(now.UTC().Truncate(time.Second))
	for _, r := range records {
		switch {
		case desired == PhaseRun && r.Phase != Injected:
			r.Phase = Injected
			r.InjectedCount++
			r.addEvent(RecordEvent{Type: "Succeeded", Operation: "Apply", Timestamp: &ts})
			changed = true
		case desired == PhaseStop && r.Phase != NotInjected:
			if holdRecovery {
				if n := len(r.Events); n > 0 && r.Events[n-1].Type == "Failed" && r.Events[n-1].Operation == "Recover" {
					continue
				}
				r.addEvent(RecordEvent{Type: "Failed", Operation: "Recover", Message: holdMsg, Timestamp: &ts})
				changed = true
				continue
			}
			r.Phase = NotInjected
			r.RecoveredCount++
			r.addEvent(RecordEvent{Type: "Succeeded", Operation: "Recover", Timestamp: &ts})
			changed = true
		}
	}
	return changed
}

func (r *Record) addEvent(e RecordEvent) {
	if len(r.Events) >= MaxEvents {
		r.Events = r.Events[1:]
	}
	r.Events = append(r.Events, e)
}

// Conditions computes the four chaos conditions from the records, like Chaos
// Mesh's condition controller (in a stable order).
func Conditions(records []*Record, paused bool) []Condition {
	b := func(v bool) string {
		if v {
			return "True"
		}
		return "False"
	}
	all := func(phase string) bool {
		if records == nil {
			return false
		}
		for _, r := range records {
			if r.Phase != phase {
				return false
			}
		}
		return true
	}
	return []Condition{
		{Type: CondSelected, Status: b(records != nil)},
		{Type: CondAllInjected, Status: b(all(Injected))},
		{Type: CondAllRecovered, Status: b(all(NotInjected))},
		{Type: CondPaused, Status: b(paused)},
	}
}

// AllRecovered reports whether every record is Not Injected.
func AllRecovered(records []*Record) bool {
	for _, r := range records {
		if r.Phase != NotInjected {
			return false
		}
	}
	return true
}

// IsFinished mirrors Chaos Mesh's IsChaosFinished (used by Schedule's Forbid
// policy and history GC).
func IsFinished(st ChaosStatus, oneShot, durationExceeded bool) bool {
	if oneShot {
		if len(st.Experiment.Records) == 0 {
			return false
		}
		for _, r := range st.Experiment.Records {
			if r.Phase != Injected {
				return false
			}
		}
		return true
	}
	finished := st.Experiment.DesiredPhase != PhaseRun && AllRecovered(st.Experiment.Records)
	return finished && durationExceeded
}
