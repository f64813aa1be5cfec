package job_test

import (
	"strings"
	"testing"
	"time"

	"${{ values.pkgModule }}/job"
)

func TestValidateScheduleAcceptsCronExpressions(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{
		"*/15 * * * *",
		"30 0 3 * * *",
		"0 9 * * MON-FRI",
		"CRON_TZ=Europe/Paris 0 30 3 * * *",
		"TZ=America/New_York 0 0 * * *",
		"@hourly",
		"@daily",
		"  0 0 1 1 *  ",
	} {
		if err := job.ValidateSchedule(expr); err != nil {
			t.Errorf("ValidateSchedule(%q) = %v, want nil", expr, err)
		}
	}
}

func TestValidateScheduleRefusesWithAClearMessage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ expr, want string }{
		{"", "schedule is empty"},
		{"   ", "schedule is empty"},
		{"* * *", "expected 5 to 6 fields, found 3"},
		{"* * * * * * *", "expected 5 to 6 fields, found 7"},
		{"61 * * * * *", "above maximum (59)"},
		{"0 25 * * *", "above maximum (23)"},
		{"0 0 * * FUNDAY", "failed to parse int from FUNDAY"},
		{"CRON_TZ=Mars/Olympus_Mons 0 * * * *", "bad location Mars/Olympus_Mons"},
		{"CRON_TZ=UTC", "CRON_TZ=UTC must be followed by a cron expression"},
		{"@every 5m", "@every is not supported"},
		{"@fortnightly", "unrecognized descriptor"},
		{"0 0 0 30 2 *", "never fires"},
	} {
		err := job.ValidateSchedule(tc.expr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ValidateSchedule(%q) = %v, want an error containing %q", tc.expr, err, tc.want)
		}
		if err != nil && !strings.Contains(err.Error(), "job: schedule") {
			t.Errorf("ValidateSchedule(%q) = %v, want it to name the schedule", tc.expr, err)
		}
	}
}

func TestPeriodIsTheShortestInterval(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		expr string
		want time.Duration
	}{
		{"*/10 * * * * *", 10 * time.Second},
		{"*/15 * * * *", 15 * time.Minute},
		{"0 0,45 * * * *", 15 * time.Minute}, // :00 and :45 -> the gap :45 -> :00
		{"@hourly", time.Hour},
		{"0 0 3 * * *", 24 * time.Hour},
		{"0 0 9 * * MON-FRI", 24 * time.Hour},
		{"0 0 0 1 * *", 28 * 24 * time.Hour},
		// Paris skips 02:00-03:00 once a year: that day is 23 hours long.
		{"CRON_TZ=Europe/Paris 0 30 3 * * *", 23 * time.Hour},
	} {
		got, err := job.Period(tc.expr)
		if err != nil || got != tc.want {
			t.Errorf("Period(%q) = %v, %v; want %v", tc.expr, got, err, tc.want)
		}
	}
	if _, err := job.Period("@every 1m"); err == nil {
		t.Error("Period accepted an invalid schedule")
	}
}
