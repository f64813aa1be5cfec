package job

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	_ "time/tzdata" // CRON_TZ works in images without a zoneinfo database

	"github.com/robfig/cron/v3"
)

// parser accepts five fields (minute hour day-of-month month day-of-week) or
// six with seconds first, descriptors such as @daily, and a CRON_TZ=<zone>
// prefix.
var parser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Period scan bounds: enough activations to see every gap of a schedule
// (daylight-saving days included) without iterating a dense one for long.
const (
	periodScanRuns = 10000
	periodScanSpan = 2 * 366 * 24 * time.Hour
)

// ValidateSchedule checks a cron expression the way the Scheduler reads it:
//
//	"*/15 * * * *"                 five fields: every 15 minutes
//	"30 0 3 * * *"                 six fields, seconds first: 03:00:30 daily
//	"CRON_TZ=Europe/Paris 0 9 * * MON-FRI"
//	"@hourly", "@daily", "@weekly", "@monthly", "@yearly"
//
// Expressions without CRON_TZ use the Runner's Location (UTC by default).
// "@every <duration>" is refused: its ticks depend on each replica's start time,
// so replicas could not agree on a tick.
func ValidateSchedule(expr string) error {
	_, err := parseSchedule(expr, time.UTC)
	return err
}

// Period returns the shortest interval between two consecutive activations of
// expr (evaluated in UTC unless it has a CRON_TZ prefix), so callers can refuse
// a timeout longer than the period.
func Period(expr string) (time.Duration, error) {
	return periodIn(expr, time.UTC)
}

func periodIn(expr string, loc *time.Location) (time.Duration, error) {
	s, err := parseSchedule(expr, loc)
	if err != nil {
		return 0, err
	}
	first := s.Next(time.Now())
	prev, shortest := first, time.Duration(math.MaxInt64)
	for i := 0; i < periodScanRuns; i++ {
		next := s.Next(prev)
		if next.IsZero() {
			break
		}
		shortest = min(shortest, next.Sub(prev))
		if next.Sub(first) > periodScanSpan {
			break
		}
		prev = next
	}
	if shortest == math.MaxInt64 {
		return 0, fmt.Errorf("job: schedule %q fires less than twice in five years", expr)
	}
	return shortest, nil
}

// parseSchedule parses expr; without CRON_TZ the schedule runs in loc.
func parseSchedule(expr string, loc *time.Location) (sched *cron.SpecSchedule, err error) {
	spec := strings.TrimSpace(expr)
	if spec == "" {
		return nil, errors.New("job: schedule is empty")
	}
	body := spec
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		zone, rest, ok := strings.Cut(spec, " ")
		if !ok || strings.TrimSpace(rest) == "" {
			return nil, fmt.Errorf("job: schedule %q: %s must be followed by a cron expression", expr, zone)
		}
		body = strings.TrimSpace(rest)
	}
	if strings.HasPrefix(body, "@every") {
		return nil, fmt.Errorf("job: schedule %q: @every is not supported because its ticks depend on each replica's start time; use a cron expression such as \"*/30 * * * * *\"", expr)
	}
	defer func() {
		if p := recover(); p != nil {
			sched, err = nil, fmt.Errorf("job: schedule %q is malformed: %v", expr, p)
		}
	}()
	parsed, err := parser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("job: schedule %q: %w", expr, err)
	}
	s, ok := parsed.(*cron.SpecSchedule)
	if !ok {
		return nil, fmt.Errorf("job: schedule %q is not a calendar schedule", expr)
	}
	if s.Location == time.Local {
		c := *s
		c.Location = loc
		s = &c
	}
	if s.Next(time.Now()).IsZero() {
		return nil, fmt.Errorf("job: schedule %q never fires: no date within five years matches it", expr)
	}
	return s, nil
}
