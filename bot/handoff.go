package bot

import (
	"cmp"
	"fmt"
	"regexp"
	"strings"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Handoff is the note an escalation carries, so the receiving tier can work
// the ticket without asking the requester anything already answered. Its
// four parts follow the desk's rule: the issue, every step already taken
// with what it did, the priority, and the system information.
type Handoff struct {
	Description string
	Steps       string // one step per line or "; ", each "step -> what it did"
	Priority    string // P1-P4
	System      string // "device: …; versions: …; error: …"
}

// handoffFields are the escalation form's fields in order; "to" is the tier
// or team.
var handoffFields = []string{"to", "description", "steps", "priority", "system"}

// stepOutcome splits "step -> result"; the arrow, "=>", or a spaced dash
// separate the two.
var stepOutcome = regexp.MustCompile(`\s*(?:->|→|=>|\s[—–-]\s)\s*`)

// saidOutcome finds a result written in words after the step: "reinstalled
// Teams, it still crashes", "rebooted but no change", "cleared the cache;
// that fixed it for a day".
var saidOutcome = regexp.MustCompile(`(?i)\S.*?(?:[,;:]|\bbut\b|\band\b|\bthen\b)\s*(?:but\s+|and\s+|then\s+)?(?:it|that|this|which|the \w+)?\s*(?:still|didn'?t|did not|does(?:n'?t| not)|won'?t|no (?:change|luck|difference)|same|worked|works|fixed|helped|stopped|failed|nothing|only)\b`)

// hasOutcome reports whether step s says what it did.
func hasOutcome(s string) bool {
	parts := stepOutcome.Split(s, 2)
	if len(parts) == 2 && strings.TrimSpace(parts[0]) != "" && strings.TrimSpace(parts[1]) != "" {
		return true
	}
	return saidOutcome.MatchString(s)
}

// withSaidOutcome gives step the result the person wrote right after it in
// their own words ("I opened every tray and it still shows the jam"):
// extraction keeps the step short, and the handoff wants both.
func withSaidOutcome(step, words string) string {
	if hasOutcome(step) {
		return step
	}
	i := strings.Index(strings.ToLower(words), strings.ToLower(step))
	if i < 0 {
		return step
	}
	span := words[i:]
	if end := strings.IndexAny(span, ".!?\n"); end >= 0 {
		span = span[:end]
	}
	if span = strings.TrimSpace(span); len(span) > len(step) && hasOutcome(span) {
		return span
	}
	return step
}

// systemPart reads "device: X" style parts of the system information.
var systemPart = regexp.MustCompile(`(?i)\b(device|versions?|os|app|error)\s*:\s*([^;\n]*)`)

// splitSteps returns the non-empty steps of s.
func splitSteps(s string) []string {
	var out []string
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ';' }) {
		line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "-*•"))
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// system reads the device, versions and error parts of h.System.
func (h Handoff) system() (device, versions, errText string) {
	for _, m := range systemPart.FindAllStringSubmatch(h.System, -1) {
		v := strings.TrimSpace(m[2])
		switch strings.ToLower(m[1]) {
		case "device":
			device = v
		case "version", "versions", "os", "app":
			if versions != "" && v != "" {
				v = versions + ", " + v
			}
			if v != "" {
				versions = v
			}
		case "error":
			errText = v
		}
	}
	return device, versions, errText
}

// Missing lists, in plain words, every part the handoff still lacks; an
// escalation is refused until it is empty.
func (h Handoff) Missing() []string {
	var out []string
	byField := h.missingByField()
	for _, f := range handoffFields {
		out = append(out, byField[f]...)
	}
	return out
}

// missingByField is Missing keyed by the escalation form's fields.
func (h Handoff) missingByField() map[string][]string {
	out := map[string][]string{}
	if strings.TrimSpace(h.Description) == "" {
		out["description"] = append(out["description"], "the issue description")
	}
	steps := splitSteps(h.Steps)
	if len(steps) == 0 {
		out["steps"] = append(out["steps"], "the steps already taken, each with what it did")
	}
	var noOutcome []string
	for _, s := range steps {
		if !hasOutcome(s) {
			noOutcome = append(noOutcome, fmt.Sprintf("%q", s))
		}
	}
	if len(noOutcome) > 0 {
		out["steps"] = append(out["steps"], "what each step did (write \"step -> result\") for "+strings.Join(noOutcome, ", "))
	}
	if _, err := tickets.ParsePriority(strings.TrimSpace(h.Priority)); err != nil {
		out["priority"] = append(out["priority"], "the priority (P1, P2, P3 or P4)")
	}
	device, versions, errText := h.system()
	if device == "" {
		out["system"] = append(out["system"], "the device (device: …)")
	}
	if versions == "" {
		out["system"] = append(out["system"], "the OS and app versions (versions: …)")
	}
	if errText == "" {
		out["system"] = append(out["system"], "the error text, or \"none\" (error: …)")
	}
	return out
}

// Text is the handoff as posted and recorded.
func (h Handoff) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Issue: %s\nSteps taken:\n", strings.TrimSpace(h.Description))
	for _, s := range splitSteps(h.Steps) {
		fmt.Fprintf(&b, "  - %s\n", s)
	}
	device, versions, errText := h.system()
	var sys []string
	for _, p := range [][2]string{{"device", device}, {"versions", versions}, {"error", errText}} {
		if p[1] != "" { // a draft still missing a part shows what it has
			sys = append(sys, p[0]+" "+p[1])
		}
	}
	if len(sys) == 0 {
		sys = []string{"not known yet"}
	}
	fmt.Fprintf(&b, "Priority: %s\nSystem: %s", strings.ToUpper(strings.TrimSpace(h.Priority)), strings.Join(sys, "; "))
	return b.String()
}

// prefillHandoff is what intake and the ticket's history already know, so
// the agent only adds what is new. Articles the requester tried carry their
// known result.
func (b *Bot) prefillHandoff(t *tickets.Ticket, evs []*tickets.Event) Handoff {
	h := Handoff{Priority: t.Priority.String()}
	// The report itself is the first message; the rest of the transcript
	// answers intake's questions, which the other parts already carry.
	h.Description, _, _ = strings.Cut(t.Fields["description"], "\n")
	if strings.TrimSpace(h.Description) == "" {
		h.Description = t.Summary
	}
	// The articles shown and declined are one step, whose result the
	// requester gave ("still broken"). Tickets opened before they had their
	// own field carry them at the end of the steps, as "tried KB articles:".
	raw, declined := t.Fields[tickets.FieldSteps], t.Fields[kbDeclinedField]
	if i := strings.Index(raw, "tried KB articles:"); i >= 0 {
		raw, declined = raw[:i], strings.TrimPrefix(raw[i:], "tried KB articles: ")
	}
	steps := splitSteps(raw)
	for i, st := range steps {
		steps[i] = withSaidOutcome(st, t.Fields["description"])
	}
	if declined != "" {
		steps = append(steps, "KB articles shown: "+strings.ReplaceAll(strings.TrimSpace(declined), "; ", ", ")+" -> requester said they did not fix it")
	}
	// A previous escalation's steps are already written with results.
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Kind == tickets.EventEscalated {
			if prev, ok := parseHandoff(evs[i].Text); ok {
				steps = splitSteps(prev.Steps)
				h.System = prev.System
			}
			break
		}
	}
	h.Steps = strings.Join(steps, "\n")
	if h.System == "" {
		h.System = fmt.Sprintf("device: %s; versions: %s; error: %s", t.Fields[tickets.FieldDevice], t.Fields["versions"], t.Fields[tickets.FieldError])
	}
	return h
}

// parseHandoff reads a handoff back from Handoff.Text.
func parseHandoff(text string) (Handoff, bool) {
	var h Handoff
	var steps []string
	inSteps := false
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, "Issue: "):
			h.Description = strings.TrimPrefix(line, "Issue: ")
		case line == "Steps taken:":
			inSteps = true
		case inSteps && strings.HasPrefix(line, "  - "):
			steps = append(steps, strings.TrimPrefix(line, "  - "))
		case strings.HasPrefix(line, "Priority: "):
			inSteps = false
			h.Priority = strings.TrimPrefix(line, "Priority: ")
		case strings.HasPrefix(line, "System: "):
			// Text writes "device X; versions Y; error Z": each part's label
			// is its first word, whatever words its value holds.
			parts := strings.Split(strings.TrimPrefix(line, "System: "), "; ")
			for i, p := range parts {
				for _, label := range []string{"device", "versions", "error"} {
					if v, ok := strings.CutPrefix(p, label+" "); ok || p == label {
						parts[i] = label + ": " + v
						break
					}
				}
			}
			h.System = strings.Join(parts, "; ")
		}
	}
	h.Steps = strings.Join(steps, "\n")
	return h, h.Description != ""
}

// parseHandoffArgs reads "description: … | steps: … | priority: … |
// system: …" typed after /escalate N TARGET; parts given replace the
// prefilled ones.
func parseHandoffArgs(s string, h Handoff) Handoff {
	for _, part := range strings.Split(s, "|") {
		key, val, ok := strings.Cut(part, ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "description", "issue":
			h.Description = val
		case "steps":
			h.Steps = mergeSteps(h.Steps, val)
		case "priority":
			h.Priority = val
		case "system":
			h.System = mergeSystem(h.System, val)
		}
	}
	return h
}

// mergeSteps adds the steps an agent writes to those the desk knows: a
// known step the agent writes again (with its result, say) takes the
// agent's words; the others stay, and new ones follow.
func mergeSteps(known, added string) string {
	steps := splitSteps(known)
	for _, a := range splitSteps(added) {
		head := strings.ToLower(strings.TrimSpace(stepOutcome.Split(a, 2)[0]))
		replaced := false
		for i, k := range steps {
			kh := strings.ToLower(strings.TrimSpace(stepOutcome.Split(k, 2)[0]))
			if kh != "" && (strings.HasPrefix(head, kh) || strings.HasPrefix(kh, head)) {
				steps[i], replaced = a, true
				break
			}
		}
		if !replaced {
			steps = append(steps, a)
		}
	}
	return strings.Join(steps, "\n")
}

// mergeSystem sets the parts of the system information an agent writes
// ("versions: Windows 11 24H2") over those the desk knows, keeping the
// rest (the device and error from intake).
func mergeSystem(known, added string) string {
	h, a := Handoff{System: known}, Handoff{System: added}
	device, versions, errText := h.system()
	ad, av, ae := a.system()
	if !systemPart.MatchString(added) {
		// Free text with no "part:" labels: keep it whole as the versions.
		av = strings.TrimSpace(added)
	}
	return fmt.Sprintf("device: %s; versions: %s; error: %s", cmp.Or(ad, device), cmp.Or(av, versions), cmp.Or(ae, errText))
}

// handoffFromFields reads the escalation form.
func handoffFromFields(f map[string]string) Handoff {
	return Handoff{Description: f["description"], Steps: f["steps"], Priority: f["priority"], System: f["system"]}
}
