package sim

import (
	"testing"
	"time"
)

func TestUnmetScheduleTime(t *testing.T) {
	created := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	missed, next, err := UnmetScheduleTime("@every 5s", created, created.Add(3*time.Second), 0)
	if err != nil || missed != nil || !next.Equal(created.Add(5*time.Second)) {
		t.Fatalf("before first run: %v %v %v", missed, next, err)
	}
	missed, next, err = UnmetScheduleTime("@every 5s", created, created.Add(12*time.Second), 0)
	if err != nil || missed == nil || !missed.Equal(created.Add(10*time.Second)) || !next.Equal(created.Add(15*time.Second)) {
		t.Fatalf("missed runs: %v %v %v", missed, next, err)
	}
	// Standard five-field cron and the optional seconds field.
	missed, _, err = UnmetScheduleTime("*/2 * * * *", created, created.Add(5*time.Minute), 0)
	if err != nil || missed == nil || !missed.Equal(created.Add(4*time.Minute)) {
		t.Fatalf("cron: %v %v", missed, err)
	}
	if _, _, err := UnmetScheduleTime("0 */10 * * * *", created, created, 0); err != nil {
		t.Fatalf("six fields: %v", err)
	}
	// A starting deadline drops runs that are too old.
	missed, _, err = UnmetScheduleTime("@every 1h", created, created.Add(3*time.Hour+time.Minute), 30*time.Second)
	if err != nil || missed != nil {
		t.Fatalf("deadline: %v %v", missed, err)
	}
	// A long outage does not fail (Chaos Mesh stops at 100 missed runs).
	missed, _, err = UnmetScheduleTime("@every 1s", created, created.Add(2*time.Hour), 0)
	if err != nil || missed == nil || !missed.Equal(created.Add(2*time.Hour)) {
		t.Fatalf("outage: %v %v", missed, err)
	}
	if _, _, err := UnmetScheduleTime("every day", created, created, 0); err == nil {
		t.Fatal("want parse error")
	}
}

func TestScheduleItemField(t *testing.T) {
	for kind, want := range map[string]string{
		"PodChaos": "podChaos", "NetworkChaos": "networkChaos", "IOChaos": "ioChaos", "HTTPChaos": "httpChaos",
		"JVMChaos": "jvmChaos", "DNSChaos": "dnsChaos", "AWSChaos": "awsChaos", "GCPChaos": "gcpChaos",
		"PhysicalMachineChaos": "physicalmachineChaos", "Workflow": "workflow", "StressChaos": "stressChaos",
	} {
		if got, err := ScheduleItemField(kind); err != nil || got != want {
			t.Errorf("%s: got %q %v, want %q", kind, got, err, want)
		}
	}
	if _, err := ScheduleItemField(""); err == nil {
		t.Error("empty type: want error")
	}
}
