package sim

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// cronParser accepts what Chaos Mesh's StandardCronParser accepts: optional
// seconds, five standard fields, and descriptors such as "@every 5s".
var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// UnmetScheduleTime returns the most recent scheduled time in (earliest, now]
// that has not run yet (nil if none) and the next scheduled time after now.
// earliest is the last schedule time, or the creation time when it never ran;
// startingDeadline (if > 0) moves it forward like Chaos Mesh does.
func UnmetScheduleTime(spec string, earliest, now time.Time, startingDeadline time.Duration) (*time.Time, time.Time, error) {
	sched, err := cronParser.Parse(spec)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("unparseable schedule: %s : %w", spec, err)
	}
	if startingDeadline > 0 {
		if d := now.Add(-startingDeadline); d.After(earliest) {
			earliest = d
		}
	}
	if earliest.After(now) {
		return nil, sched.Next(now), nil
	}
	// Chaos Mesh gives up after 100 missed runs; the simulator, which may
	// have been stopped for a while, takes the latest missed run instead.
	var missed *time.Time
	next := sched.Next(earliest)
	for t, n := sched.Next(earliest), 0; !t.After(now) && n < 1_000_000; t, n = sched.Next(t), n+1 {
		t := t
		missed = &t
		next = sched.Next(t)
	}
	return missed, next, nil
}

// ScheduleItemField returns the spec field of a Schedule that holds the
// template of its children: the kind with a lower-case first letter
// ("PodChaos" -> "podChaos", "Workflow" -> "workflow"), as Chaos Mesh's
// ScheduleItem/EmbedChaos JSON tags are named.
func ScheduleItemField(kind string) (string, error) {
	if kind == "" {
		return "", errors.New("schedule has no spec.type")
	}
	// Chaos Mesh's EmbedChaos uses these JSON names for kinds with acronyms.
	special := map[string]string{
		"AWSChaos": "awsChaos", "DNSChaos": "dnsChaos", "GCPChaos": "gcpChaos",
		"HTTPChaos": "httpChaos", "IOChaos": "ioChaos", "JVMChaos": "jvmChaos", "PhysicalMachineChaos": "physicalmachineChaos",
	}
	if f, ok := special[kind]; ok {
		return f, nil
	}
	return strings.ToLower(kind[:1]) + kind[1:], nil
}
