// Package kpi computes the numbers a help desk is run by — first contact
// resolution, time to resolution, first response, satisfaction, handling
// time, SLA compliance, deflection, reopens, escalations and the backlog —
// for any past period, from the tickets' audit events and the recorded
// self-service. docs/kpis.md defines each one; this package is that
// document in code. It reads through the Store interface only, so SQLite
// and PostgreSQL give the same figures.
package kpi

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Dimension is what a report is broken down by.
type Dimension string

// The dimensions of a report. None is one row for the whole desk.
const (
	None     Dimension = ""
	Category Dimension = "category"
	Priority Dimension = "priority"
	Tier     Dimension = "tier"
	Team     Dimension = "team"
	Agent    Dimension = "agent"
)

// Dimensions lists every dimension a report can be broken down by.
var Dimensions = []Dimension{Category, Priority, Tier, Team, Agent}

// ParseDimension reads a dimension's name, with a message saying which
// names exist when it is none of them.
func ParseDimension(s string) (Dimension, error) {
	for _, d := range Dimensions {
		if string(d) == s {
			return d, nil
		}
	}
	return None, fmt.Errorf("%q is not a breakdown; use one of category, priority, tier, team or agent", s)
}

// Ratio is a share: N of D. A ratio of nothing (D is 0) has no value.
type Ratio struct {
	N int `json:"n"`
	D int `json:"of"`
}

// Value is N/D, and false when D is 0.
func (r Ratio) Value() (float64, bool) {
	if r.D == 0 {
		return 0, false
	}
	return float64(r.N) / float64(r.D), true
}

// String is the share as a percentage, or "—" when there is nothing to
// divide.
func (r Ratio) String() string {
	v, ok := r.Value()
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", 100*v)
}

func (r *Ratio) add(hit bool) {
	r.D++
	if hit {
		r.N++
	}
}

// Durations summarises a set of durations: how many, their mean and their
// median. Mean and Median are zero when N is 0.
type Durations struct {
	N      int
	Mean   time.Duration
	Median time.Duration
	Max    time.Duration
	values []time.Duration
}

func (d *Durations) add(v time.Duration) {
	if v < 0 {
		v = 0
	}
	d.values = append(d.values, v)
}

// finish computes the summary from the values added.
func (d *Durations) finish() {
	d.N = len(d.values)
	if d.N == 0 {
		return
	}
	s := slices.Clone(d.values)
	slices.Sort(s)
	var sum time.Duration
	for _, v := range s {
		sum += v
	}
	d.Mean = sum / time.Duration(d.N)
	if d.N%2 == 1 {
		d.Median = s[d.N/2]
	} else {
		d.Median = (s[d.N/2-1] + s[d.N/2]) / 2
	}
	d.Max = s[d.N-1]
}

// MarshalJSON writes the durations in seconds, so other tools need not
// parse Go's duration format.
func (d Durations) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		N             int     `json:"n"`
		MeanSeconds   float64 `json:"mean_seconds"`
		MedianSeconds float64 `json:"median_seconds"`
		MaxSeconds    float64 `json:"max_seconds"`
	}{d.N, d.Mean.Seconds(), d.Median.Seconds(), d.Max.Seconds()})
}

// Mean is an average of whole-number scores, such as ratings.
type Mean struct {
	N   int `json:"n"`
	Sum int `json:"sum"`
}

// Value is the average, and false when nothing was scored.
func (m Mean) Value() (float64, bool) {
	if m.N == 0 {
		return 0, false
	}
	return float64(m.Sum) / float64(m.N), true
}

// String is the average with one decimal, or "—".
func (m Mean) String() string {
	v, ok := m.Value()
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.1f", v)
}

// Ages are the limits of the backlog's age bands: under a day, under three
// days, under a week, and older.
var Ages = []time.Duration{24 * time.Hour, 3 * 24 * time.Hour, 7 * 24 * time.Hour}

// AgeLabels name the bands of Figures.AgeBands.
var AgeLabels = []string{"< 1d", "1–3d", "3–7d", "> 7d"}

// Figures are every KPI of one period, for the whole desk or one group.
// docs/kpis.md defines each.
type Figures struct {
	Opened     int `json:"opened"`      // tickets opened, linked reports left out
	Resolved   int `json:"resolved"`    // tickets resolved or closed
	SelfServed int `json:"self_served"` // reports an article fixed (tier 0)
	Linked     int `json:"linked"`      // reports merged or linked to a major incident

	FCR        Ratio `json:"fcr"`         // first contact resolution, tier 0 included
	FCRTickets Ratio `json:"fcr_tickets"` // first contact resolution of tickets only

	Resolution    Durations `json:"time_to_resolution"`
	FirstResponse Durations `json:"first_response"`
	Handling      Durations `json:"handling"`

	CSAT         Mean  `json:"csat"`
	CSATResponse Ratio `json:"csat_response"`

	SLAResponse   Ratio `json:"sla_response"`
	SLAResolution Ratio `json:"sla_resolution"`

	Deflection Ratio `json:"deflection"`
	Reopen     Ratio `json:"reopen"`
	Escalation Ratio `json:"escalation"`

	Backlog  int       `json:"backlog"`
	Age      Durations `json:"age"`
	AgeBands []int     `json:"age_bands"`
}

func (f *Figures) finish() {
	f.Resolution.finish()
	f.FirstResponse.finish()
	f.Handling.finish()
	f.Age.finish()
	if f.AgeBands == nil {
		f.AgeBands = make([]int, len(AgeLabels))
	}
}

// MarshalJSON writes the share beside its parts, null when there is
// nothing to divide.
func (r Ratio) MarshalJSON() ([]byte, error) {
	var v *float64
	if x, ok := r.Value(); ok {
		v = &x
	}
	return json.Marshal(struct {
		N     int      `json:"n"`
		D     int      `json:"of"`
		Value *float64 `json:"value"`
	}{r.N, r.D, v})
}

// MarshalJSON writes the average beside its parts, null when nothing was
// scored.
func (m Mean) MarshalJSON() ([]byte, error) {
	var v *float64
	if x, ok := m.Value(); ok {
		v = &x
	}
	return json.Marshal(struct {
		N     int      `json:"n"`
		Sum   int      `json:"sum"`
		Value *float64 `json:"value"`
	}{m.N, m.Sum, v})
}

// Short writes a duration as people read it at a glance: 45m, 3.5h,
// 2.1d; "—" for none.
func Short(d time.Duration, n int) string {
	switch {
	case n == 0:
		return "—"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Round(time.Minute)/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%.1fh", d.Hours())
	}
	return fmt.Sprintf("%.1fd", d.Hours()/24)
}
