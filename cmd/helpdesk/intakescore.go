package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/extract"
)

// The figures of "helpdesk intake eval", as ../shared/eval/README.md
// defines them: a chat case has labels.kind, an M365 case labels.errors.

// ratio counts hits out of a total.
type ratio struct{ hit, of int }

func (r *ratio) add(hit bool) {
	r.of++
	if hit {
		r.hit++
	}
}

func (r ratio) String() string {
	if r.of == 0 {
		return "   –   (0)"
	}
	return fmt.Sprintf("%5.1f %% (%d/%d)", 100*float64(r.hit)/float64(r.of), r.hit, r.of)
}

// facts are the incident facts whose re-asking is measured.
var facts = []string{"started", "steps", "impact", "urgency", "device", "app", "error"}

// labelled reports whether the labels state fact.
func (l *caseLabels) labelled(fact string) bool {
	switch fact {
	case "started":
		return l.Started != nil
	case "steps":
		return len(l.Steps) > 0
	case "impact":
		return l.Impact != nil
	case "urgency":
		return l.Urgency != nil
	case "device":
		return l.Device != nil
	case "app":
		return l.App != nil
	case "error":
		return l.Error != nil
	}
	return false
}

func (l *caseLabels) isChat() bool { return l != nil && l.Kind != nil }
func (l *caseLabels) isM365() bool { return l != nil && l.Kind == nil && l.Errors != nil }

// sameThing is the device and app match: case-insensitive, either
// containing the other.
func sameThing(label *string, got *string) bool {
	if label == nil || got == nil {
		return false
	}
	a, b := strings.ToLower(strings.TrimSpace(*label)), strings.ToLower(strings.TrimSpace(*got))
	return a != "" && b != "" && (strings.Contains(a, b) || strings.Contains(b, a))
}

// collapse joins runs of white space into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// looseText is collapse, lower-cased, with quote marks dropped.
func looseText(s string) string {
	return collapse(strings.Map(func(r rune) rune {
		if strings.ContainsRune("\"'`“”‘’«»", r) {
			return -1
		}
		return r
	}, strings.ToLower(s)))
}

func eqPtr(label, got *string) bool {
	return label != nil && got != nil && *label == *got
}

// errorExact reports whether got is the labelled error, after collapsing
// white space (loose: also case and quotes).
func errorExact(label, got *string, loose bool) bool {
	if label == nil || got == nil {
		return label == nil && got == nil
	}
	if loose {
		return looseText(*label) == looseText(*got)
	}
	return collapse(*label) == collapse(*got)
}

// startedFound: the found text contains, or is contained in, the label.
func startedFound(label, got *string) bool {
	if label == nil || got == nil {
		return false
	}
	a, b := strings.ToLower(collapse(*label)), strings.ToLower(collapse(*got))
	return strings.Contains(a, b) || strings.Contains(b, a)
}

// chatFigures are the figures of a chat set.
type chatFigures struct {
	reasked, reaskedNonEN, catalog, catalogStrict, steps, urgency, impact, kind, request, category   ratio
	devPrecision, devRecall, errExact, errLoose, errAll, errFalse, started, startedFalse, thirdParty ratio
	reaskedBy                                                                                        map[string]*ratio
}

func scoreChat(cases []*intakeCase) chatFigures {
	f := chatFigures{reaskedBy: map[string]*ratio{}}
	for _, fact := range facts {
		f.reaskedBy[fact] = &ratio{}
	}
	for _, c := range cases {
		l, r := c.Labels, c.result
		if !l.isChat() {
			continue
		}
		nonEN := extract.Language(c.Text) != "en"
		for _, fact := range facts {
			if l.labelled(fact) {
				asked := slices.Contains(r.Asks, fact)
				f.reasked.add(asked)
				f.reaskedBy[fact].add(asked)
				if nonEN {
					f.reaskedNonEN.add(asked)
				}
			}
		}
		if *l.Kind == "request" {
			for name := range l.Fields {
				asked := slices.Contains(r.Asks, name)
				f.catalog.add(asked)
				// Strict: a field is only answered when the request is the
				// labelled one and the field is not asked.
				f.catalogStrict.add(asked || !eqPtr(l.Request, r.Request))
			}
		}
		if len(l.Steps) > 0 {
			f.steps.add(len(r.Steps) > 0)
		}
		if l.Urgency != nil {
			f.urgency.add(eqPtr(l.Urgency, r.Urgency))
		}
		if l.Impact != nil {
			f.impact.add(eqPtr(l.Impact, r.Impact))
		}
		f.kind.add(*l.Kind == r.Kind)
		if *l.Kind == "request" {
			f.request.add(eqPtr(l.Request, r.Request) || l.Request == nil && r.Request == nil)
		}
		if l.Category != nil {
			f.category.add(eqPtr(l.Category, r.Category))
		}
		for _, p := range [][2]*string{{l.Device, r.Device}, {l.App, r.App}} {
			if p[1] != nil {
				f.devPrecision.add(sameThing(p[0], p[1]))
			}
			if p[0] != nil {
				f.devRecall.add(sameThing(p[0], p[1]))
			}
		}
		if l.Error != nil {
			f.errExact.add(errorExact(l.Error, r.Error, false))
			f.errLoose.add(errorExact(l.Error, r.Error, true))
		} else {
			f.errFalse.add(r.Error != nil)
		}
		f.errAll.add(errorExact(l.Error, r.Error, false))
		if l.Started != nil {
			f.started.add(startedFound(l.Started, r.Started))
		} else {
			f.startedFalse.add(r.Started != nil)
		}
		f.thirdParty.add(l.ThirdParty == r.ThirdParty)
	}
	return f
}

// m365Figures are the figures of an M365 set.
type m365Figures struct {
	errExact, errLoose, errAny, errLabelled, errFalse, app, appPrecision, category, categoryAlt ratio
}

func scoreM365(cases []*intakeCase) m365Figures {
	var f m365Figures
	for _, c := range cases {
		l, r := c.Labels, c.result
		if !l.isM365() {
			continue
		}
		f.errExact.add(errorExact(l.Error, r.Error, false))
		f.errLoose.add(errorExact(l.Error, r.Error, true))
		if l.Error != nil {
			f.errLabelled.add(errorExact(l.Error, r.Error, false))
			any := false
			for _, e := range l.Errors {
				any = any || errorExact(&e, r.Error, false)
			}
			f.errAny.add(any)
		} else {
			f.errFalse.add(r.Error != nil)
		}
		// The app may land in either field: M365 labels name one thing.
		got := r.App
		if got == nil {
			got = r.Device
		}
		if l.App != nil {
			f.app.add(sameThing(l.App, got))
		}
		if got != nil {
			f.appPrecision.add(l.App == nil || sameThing(l.App, got))
		}
		f.category.add(eqPtr(l.Category, r.Category))
		f.categoryAlt.add(eqPtr(l.Category, r.Category) || eqPtr(l.AltCategory, r.Category))
	}
	return f
}

// writeFigures prints the figures of the labelled cases and the time per
// message.
func writeFigures(w io.Writer, cases []*intakeCase) {
	var chat, m365 int
	var took []time.Duration
	for _, c := range cases {
		took = append(took, c.took)
		switch {
		case c.Labels.isChat():
			chat++
		case c.Labels.isM365():
			m365++
		}
	}
	if chat > 0 {
		f := scoreChat(cases)
		fmt.Fprintf(w, "Chat cases: %d\n", chat)
		fmt.Fprintf(w, "  facts re-asked (started, steps, impact, urgency, device, app, error)  %s\n", f.reasked)
		for _, fact := range facts {
			fmt.Fprintf(w, "    %-8s re-asked  %s\n", fact, *f.reaskedBy[fact])
		}
		fmt.Fprintf(w, "  steps found, when stated                   %s\n", f.steps)
		fmt.Fprintf(w, "  urgency right, when stated                 %s\n", f.urgency)
		fmt.Fprintf(w, "  impact right, when stated                  %s\n", f.impact)
		fmt.Fprintf(w, "  incident vs service request right          %s\n", f.kind)
		fmt.Fprintf(w, "  catalog item right, of requests            %s\n", f.request)
		fmt.Fprintf(w, "  catalog fields answered, asked again       %s  (strict, also when the item is wrong: %s)\n", f.catalog, f.catalogStrict)
		fmt.Fprintf(w, "  device or app: precision                   %s\n", f.devPrecision)
		fmt.Fprintf(w, "  device or app: recall                      %s\n", f.devRecall)
		fmt.Fprintf(w, "  error text exact, when stated              %s  (case and quotes aside: %s)\n", f.errExact, f.errLoose)
		fmt.Fprintf(w, "  error text right, every case (none = none) %s  false fills: %s\n", f.errAll, f.errFalse)
		fmt.Fprintf(w, "  started found, when stated                 %s  false fills: %s\n", f.started, f.startedFalse)
		fmt.Fprintf(w, "  category right                             %s\n", f.category)
		fmt.Fprintf(w, "  third party right                          %s\n", f.thirdParty)
		fmt.Fprintf(w, "  non-English first messages: facts re-asked %s\n", f.reaskedNonEN)
	}
	if m365 > 0 {
		f := scoreM365(cases)
		fmt.Fprintf(w, "M365 cases: %d\n", m365)
		fmt.Fprintf(w, "  error text exact, every case (none = none) %s  (case and quotes aside: %s)\n", f.errExact, f.errLoose)
		fmt.Fprintf(w, "  error exact, when quoted                   %s  (any quoted error: %s)\n", f.errLabelled, f.errAny)
		fmt.Fprintf(w, "  error filled where none is quoted          %s\n", f.errFalse)
		fmt.Fprintf(w, "  app found, when named                      %s  (precision %s)\n", f.app, f.appPrecision)
		fmt.Fprintf(w, "  category right (strict)                    %s  (with alt_category: %s)\n", f.category, f.categoryAlt)
	}
	p50, p99 := percentiles(took)
	fmt.Fprintf(w, "Time per first message (whole desk, SQLite write included): p50 %s, p99 %s over %d messages\n", p50.Round(time.Microsecond), p99.Round(time.Microsecond), len(took))
}

// caseMisses lists, for --explain, each field of c whose result misses its
// label.
func caseMisses(c *intakeCase) []string {
	l, r := c.Labels, c.result
	if l == nil {
		return nil
	}
	var out []string
	show := func(p *string) string {
		if p == nil {
			return "null"
		}
		return fmt.Sprintf("%q", oneLine(*p, 160))
	}
	miss := func(name string, label, got *string) {
		out = append(out, fmt.Sprintf("%-9s label %s, got %s", name, show(label), show(got)))
	}
	if !errorExact(l.Error, r.Error, false) && (l.Error != nil || r.Error != nil) {
		miss("error", l.Error, r.Error)
	}
	if l.isM365() {
		got := r.App
		if got == nil {
			got = r.Device
		}
		if (l.App != nil || got != nil) && !(l.App == nil && got != nil) && !sameThing(l.App, got) {
			miss("app", l.App, got)
		}
		if !eqPtr(l.Category, r.Category) {
			miss("category", l.Category, r.Category)
		}
		return out
	}
	if *l.Kind != r.Kind {
		out = append(out, fmt.Sprintf("%-9s label %s, got %s", "kind", *l.Kind, r.Kind))
	}
	if (l.Request != nil || r.Request != nil) && !eqPtr(l.Request, r.Request) {
		miss("request", l.Request, r.Request)
	}
	if (l.Device != nil || r.Device != nil) && !sameThing(l.Device, r.Device) {
		miss("device", l.Device, r.Device)
	}
	if (l.App != nil || r.App != nil) && !sameThing(l.App, r.App) {
		miss("app", l.App, r.App)
	}
	if (l.Started != nil || r.Started != nil) && !startedFound(l.Started, r.Started) {
		miss("started", l.Started, r.Started)
	}
	if len(l.Steps) > 0 && len(r.Steps) == 0 {
		out = append(out, fmt.Sprintf("%-9s label %q, got none", "steps", l.Steps))
	}
	if l.Impact != nil && !eqPtr(l.Impact, r.Impact) {
		miss("impact", l.Impact, r.Impact)
	}
	if l.Urgency != nil && !eqPtr(l.Urgency, r.Urgency) {
		miss("urgency", l.Urgency, r.Urgency)
	}
	if l.Category != nil && !eqPtr(l.Category, r.Category) {
		miss("category", l.Category, r.Category)
	}
	var reasked []string
	for _, fact := range facts {
		if l.labelled(fact) && slices.Contains(r.Asks, fact) {
			reasked = append(reasked, fact)
		}
	}
	for name := range l.Fields {
		if slices.Contains(r.Asks, name) {
			reasked = append(reasked, name+" ("+oneLine(l.Fields[name], 60)+")")
		}
	}
	if len(reasked) > 0 {
		slices.Sort(reasked)
		out = append(out, "re-asks   "+strings.Join(reasked, ", "))
	}
	return out
}
