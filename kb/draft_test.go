package kb

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDraftFromTicket(t *testing.T) {
	tests := []struct {
		name        string
		facts       TicketFacts
		wantID      string
		wantArticle Article // ID, Title, Category, Tags, Summary
		wantBody    []string
		notInBody   []string
	}{
		{
			name: "full ticket",
			facts: TicketFacts{
				Number: 42, Title: "my VPN drops every few minutes", Category: "network",
				Symptom: "VPN drops every few minutes", Device: "ThinkPad T14, Windows 11",
				Error:      `GlobalProtect: "gateway not responding"`,
				Steps:      []string{"rebooted", "  ", "reinstalled GlobalProtect"},
				Handoff:    []string{"Issue: VPN drops\nSteps taken:\n  - rebooted -> same\nPriority: P3\nSystem: device T14; versions 6.2; error gateway"},
				Resolution: "Switched the GlobalProtect portal to vpn2.example.com. The drops stopped.",
			},
			wantID: "ticket-42-vpn-drops-minutes",
			wantArticle: Article{ID: "ticket-42-vpn-drops-minutes", Title: "My VPN drops every few minutes", Category: "network",
				Tags:    []string{"network", "vpn", "drops", "minutes"},
				Summary: "My VPN drops every few minutes? Switched the GlobalProtect portal to vpn2.example.com."},
			wantBody: []string{
				DraftMarker + " written from ticket #42.",
				"## Symptoms\n- VPN drops every few minutes\n- The error message says: \"GlobalProtect: \"gateway not responding\"\"\n- Seen on: ThinkPad T14, Windows 11",
				"## How to fix it\nSwitched the GlobalProtect portal to vpn2.example.com. The drops stopped.",
				"## What did not help\nThese were tried first and did not fix it:\n\n- rebooted\n- reinstalled GlobalProtect\n",
				"## Notes from the help desk\n\n> Issue: VPN drops\n> Steps taken:\n>   - rebooted -> same\n> Priority: P3\n",
			},
		},
		{
			name:   "bare ticket",
			facts:  TicketFacts{Number: 7, Category: "mystery"},
			wantID: "ticket-7",
			wantArticle: Article{ID: "ticket-7", Title: "Problem from ticket #7", Category: "other",
				Tags: []string{}, Summary: "Problem from ticket #7?"},
			wantBody:  []string{"(describe what the person sees)", "(write what fixed it, one step per line)"},
			notInBody: []string{"## What did not help", "## Notes from the help desk"},
		},
		{
			name: "YAML-hostile title",
			facts: TicketFacts{Number: 9, Symptom: `"Error: 0x80070005" # access denied: [installer] {x}`, Category: "Software",
				Resolution: "Ran the installer from Software Center.\nThen rebooted."},
			wantID: "ticket-9-0x80070005-access-denied-installer",
			wantArticle: Article{ID: "ticket-9-0x80070005-access-denied-installer", Title: `"Error: 0x80070005" # access denied: [installer] {x}`,
				Category: "software", Tags: []string{"software", "0x80070005", "access", "denied", "installer"},
				Summary: `"Error: 0x80070005" # access denied: [installer] {x}? Ran the installer from Software Center.`},
			wantBody: []string{"## How to fix it\nRan the installer from Software Center.\nThen rebooted."},
		},
		{
			name:   "non-ASCII words are left out of the ID",
			facts:  TicketFacts{Number: 3, Title: "Drucker düsseldorf offline", Category: "printing"},
			wantID: "ticket-3-drucker-offline",
			wantArticle: Article{ID: "ticket-3-drucker-offline", Title: "Drucker düsseldorf offline", Category: "printing",
				Tags: []string{"printing", "drucker", "düsseldorf", "offline"}, Summary: "Drucker düsseldorf offline?"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := DraftFromTicket(tt.facts)
			if err != nil {
				t.Fatal(err)
			}
			if d.ID != tt.wantID {
				t.Errorf("ID = %q, want %q", d.ID, tt.wantID)
			}
			if !IsDraft(d.Markdown) {
				t.Error("draft is not marked as a draft")
			}
			// The round trip: what was drafted is an article.
			a, err := ParseArticle([]byte(d.Markdown), "draft")
			if err != nil {
				t.Fatalf("ParseArticle: %v\n%s", err, d.Markdown)
			}
			got := Article{ID: a.ID, Title: a.Title, Category: a.Category, Tags: a.Tags, Summary: a.Summary}
			if got.Tags == nil {
				got.Tags = []string{}
			}
			if diff := cmp.Diff(tt.wantArticle, got); diff != "" {
				t.Errorf("parsed article (-want +got):\n%s\n%s", diff, d.Markdown)
			}
			for _, w := range tt.wantBody {
				if !strings.Contains(a.Body, w) {
					t.Errorf("body lacks %q:\n%s", w, a.Body)
				}
			}
			for _, w := range tt.notInBody {
				if strings.Contains(a.Body, w) {
					t.Errorf("body has %q:\n%s", w, a.Body)
				}
			}
		})
	}
}

// A long resolution gives a summary within the chat limit, and the front
// matter keeps one key per line however long a value is.
func TestDraftLongValues(t *testing.T) {
	long := strings.Repeat("Open the portal and choose the option again ", 20)
	d, err := DraftFromTicket(TicketFacts{Number: 1, Title: strings.Repeat("very long title ", 20), Resolution: long + "."})
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseArticle([]byte(d.Markdown), "draft")
	if err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(a.Summary)); n > maxSummary {
		t.Errorf("summary has %d runes, want at most %d", n, maxSummary)
	}
	head, _, _ := strings.Cut(strings.TrimPrefix(d.Markdown, "---\n"), "\n---\n")
	if n := strings.Count(head, "\n"); n != 4 {
		t.Errorf("front matter has %d lines, want 5:\n%s", n+1, head)
	}
	if len(d.ID) > len("ticket-1-")+maxSlugLen {
		t.Errorf("ID %q is too long", d.ID)
	}
}

func TestIsDraft(t *testing.T) {
	d, err := DraftFromTicket(TicketFacts{Number: 5, Title: "Printer jams", Resolution: "Cleared the tray."})
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.Split(d.Markdown, "\n") {
		if !strings.HasPrefix(line, DraftMarker) {
			kept = append(kept, line)
		}
	}
	reviewed := strings.Join(kept, "\n")
	if IsDraft(reviewed) {
		t.Errorf("still a draft after deleting the marker line:\n%s", reviewed)
	}
	if _, err := ParseArticle([]byte(reviewed), "reviewed"); err != nil {
		t.Errorf("reviewed article does not parse: %v", err)
	}
}
