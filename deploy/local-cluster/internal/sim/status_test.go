package sim

import (
	"testing"
	"time"
)

func condMap(cs []Condition) map[string]string {
	m := map[string]string{}
	for _, c := range cs {
		m[c.Type] = c.Status
	}
	return m
}

func TestDesiredPhase(t *testing.T) {
	cases := []struct {
		deleted, oneShot, exceeded, paused bool
		want                               string
	}{
		{false, false, false, false, PhaseRun},
		{true, true, false, false, PhaseStop},  // deletion wins over one-shot
		{false, true, true, true, PhaseRun},    // one-shot ignores duration and pause
		{false, false, true, false, PhaseStop}, // duration passed
		{false, false, false, true, PhaseStop}, // paused
	}
	for _, c := range cases {
		if got := DesiredPhase(c.deleted, c.oneShot, c.exceeded, c.paused); got != c.want {
			t.Errorf("%+v: got %s", c, got)
		}
	}
}

func TestDurationExceeded(t *testing.T) {
	created := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	ex, left, err := DurationExceeded(created, "30s", created.Add(10*time.Second))
	if err != nil || ex || left != 20*time.Second {
		t.Fatalf("before: %v %v %v", ex, left, err)
	}
	ex, left, err = DurationExceeded(created, "30s", created.Add(31*time.Second))
	if err != nil || !ex || left != 0 {
		t.Fatalf("after: %v %v %v", ex, left, err)
	}
	if ex, _, err := DurationExceeded(created, "", created.Add(time.Hour)); err != nil || ex {
		t.Fatal("no duration never expires")
	}
	if _, _, err := DurationExceeded(created, "5 minutes", created); err == nil {
		t.Fatal("want parse error")
	}
}

func TestOneShot(t *testing.T) {
	if !IsOneShot("PodChaos", "pod-kill") || !IsOneShot("PodChaos", "container-kill") || IsOneShot("PodChaos", "pod-failure") {
		t.Fatal("PodChaos")
	}
	if !IsOneShot("AWSChaos", "ec2-restart") || !IsOneShot("GCPChaos", "node-reset") || !IsOneShot("AzureChaos", "vm-restart") {
		t.Fatal("cloud restarts")
	}
	if IsOneShot("NetworkChaos", "delay") {
		t.Fatal("NetworkChaos")
	}
}

func TestLifecycle(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var none []*Record
	c := condMap(Conditions(none, false))
	if c[CondSelected] != "False" || c[CondAllInjected] != "False" || c[CondAllRecovered] != "False" || c[CondPaused] != "False" {
		t.Fatalf("no records: %v", c)
	}

	recs := []*Record{{ID: "chaos-dev/a", SelectorKey: ".", Phase: NotInjected}, {ID: "chaos-dev/b", SelectorKey: ".", Phase: NotInjected}}
	if !StepRecords(recs, PhaseRun, now, false, "") {
		t.Fatal("inject: no change")
	}
	c = condMap(Conditions(recs, false))
	if c[CondSelected] != "True" || c[CondAllInjected] != "True" || c[CondAllRecovered] != "False" {
		t.Fatalf("injected: %v", c)
	}
	if recs[0].Phase != Injected || recs[0].InjectedCount != 1 || len(recs[0].Events) != 1 || recs[0].Events[0].Operation != "Apply" {
		t.Fatalf("record after inject: %+v", recs[0])
	}
	if StepRecords(recs, PhaseRun, now, false, "") {
		t.Fatal("inject twice: should be a no-op")
	}

	// Held recovery: records stay Injected, one Failed event, not repeated.
	if !StepRecords(recs, PhaseStop, now, true, "held") {
		t.Fatal("hold: want a failure event")
	}
	if StepRecords(recs, PhaseStop, now, true, "held") {
		t.Fatal("hold twice: no new event expected")
	}
	if recs[0].Phase != Injected || recs[0].Events[1].Type != "Failed" || recs[0].Events[1].Message != "held" {
		t.Fatalf("held record: %+v", recs[0])
	}
	c = condMap(Conditions(recs, false))
	if c[CondAllRecovered] != "False" || AllRecovered(recs) {
		t.Fatal("held: must not be recovered")
	}

	// Recovery (e.g. pause or duration): Not Injected, recoveredCount.
	if !StepRecords(recs, PhaseStop, now, false, "") {
		t.Fatal("recover: no change")
	}
	c = condMap(Conditions(recs, true))
	if c[CondAllRecovered] != "True" || c[CondAllInjected] != "False" || c[CondPaused] != "True" || !AllRecovered(recs) {
		t.Fatalf("recovered: %v", c)
	}
	if recs[1].Phase != NotInjected || recs[1].RecoveredCount != 1 {
		t.Fatalf("record after recover: %+v", recs[1])
	}
	// Resume after pause: injected again.
	StepRecords(recs, PhaseRun, now, false, "")
	if recs[0].InjectedCount != 2 {
		t.Fatalf("re-inject: %+v", recs[0])
	}
}

func TestEventsBounded(t *testing.T) {
	r := &Record{Phase: NotInjected}
	now := time.Now()
	for i := 0; i < MaxEvents+20; i++ {
		StepRecords([]*Record{r}, PhaseRun, now, false, "")
		StepRecords([]*Record{r}, PhaseStop, now, false, "")
	}
	if len(r.Events) != MaxEvents {
		t.Fatalf("events: %d", len(r.Events))
	}
}

func TestIsFinished(t *testing.T) {
	inj := ChaosStatus{Experiment: Experiment{DesiredPhase: PhaseRun, Records: []*Record{{Phase: Injected}}}}
	if !IsFinished(inj, true, false) {
		t.Fatal("one-shot injected is finished")
	}
	if IsFinished(ChaosStatus{}, true, false) {
		t.Fatal("one-shot without records is not finished")
	}
	if IsFinished(inj, false, true) {
		t.Fatal("running chaos is not finished")
	}
	rec := ChaosStatus{Experiment: Experiment{DesiredPhase: PhaseStop, Records: []*Record{{Phase: NotInjected}}}}
	if !IsFinished(rec, false, true) {
		t.Fatal("recovered after duration is finished")
	}
	if IsFinished(rec, false, false) {
		t.Fatal("paused (duration not over) is not finished")
	}
}

func TestStatusRoundTrip(t *testing.T) {
	st := ChaosStatus{Conditions: Conditions(nil, false), Experiment: Experiment{DesiredPhase: PhaseRun,
		Records: []*Record{{ID: "ns/p", SelectorKey: ".", Phase: Injected, InjectedCount: 1}}}}
	m := st.ToMap()
	exp := m["experiment"].(map[string]any)
	recs := exp["containerRecords"].([]any)
	r0 := recs[0].(map[string]any)
	if r0["phase"] != "Injected" || r0["selectorKey"] != "." || r0["id"] != "ns/p" || exp["desiredPhase"] != "Run" {
		t.Fatalf("wire format: %v", m)
	}
	back := ParseStatus(m)
	if back.Experiment.Records[0].InjectedCount != 1 || len(back.Conditions) != 4 {
		t.Fatalf("round trip: %+v", back)
	}
}
