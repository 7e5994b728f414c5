package bot

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// matrixRoles are the columns of docs/authorization.md, in order.
var matrixRoles = []string{"requester", "tier 1", "tier 2", "tier 3", "manager", "admin"}

// matrixActor is someone in a column of the matrix.
func matrixActor(role string) actor {
	p := tickets.Person{Platform: "test", UserID: strings.ReplaceAll(role, " ", "")}
	switch role {
	case "requester":
		return actor{Person: p}
	case "manager":
		return actor{Person: p, IsAgent: true, Agent: Agent{Name: "M", Tier: 1, Role: RoleManager}}
	case "admin":
		return actor{Person: p, IsAgent: true, Agent: Agent{Name: "A", Tier: 1, Role: RoleAdmin}}
	}
	return actor{Person: p, IsAgent: true, Agent: Agent{Name: role, Tier: int(role[len(role)-1] - '0'), Role: RoleAgent}}
}

// TestAuthorizationMatrix checks every cell of the written matrix against
// actor.can, on tickets at each tier, the person's own, one they own after
// escalating, and one assigned to them.
func TestAuthorizationMatrix(t *testing.T) {
	doc, err := os.ReadFile("../docs/authorization.md")
	if err != nil {
		t.Fatal(err)
	}
	cmdName := regexp.MustCompile("`/(\\w+)")
	table := map[string]*command{}
	for _, c := range commandTable() {
		if !c.Typed {
			table[c.Name] = &c
		}
	}
	rows := 0
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(line, "| `/") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 1+len(matrixRoles) {
			t.Fatalf("row %q has %d cells, want %d", line, len(cells), 1+len(matrixRoles))
		}
		for _, m := range cmdName.FindAllStringSubmatch(cells[0], -1) {
			c, ok := table[m[1]]
			if !ok {
				t.Errorf("the matrix names /%s, which is not in the command table", m[1])
				continue
			}
			delete(table, m[1])
			rows++
			for i, role := range matrixRoles {
				checkCell(t, c, role, strings.TrimSpace(cells[i+1]))
			}
		}
	}
	if rows < 20 {
		t.Errorf("read %d commands from the matrix; the table was not found", rows)
	}
	for name := range table {
		t.Errorf("/%s is in the command table but not in docs/authorization.md: say who may run it", name)
	}
}

func checkCell(t *testing.T, c *command, role, cell string) {
	t.Helper()
	a := matrixActor(role)
	other := tickets.Person{Platform: "test", UserID: "someone-else"}
	ticketAt := func(tier int) *tickets.Ticket {
		return &tickets.Ticket{ID: 7, Tier: tier, Requester: other, Owner: "test:owner", Assignee: "test:assignee"}
	}
	own := &tickets.Ticket{ID: 8, Tier: 1, Requester: a.Person}
	owned := &tickets.Ticket{ID: 9, Tier: 3, Requester: other, Owner: a.Person.Key()}
	assigned := &tickets.Ticket{ID: 10, Tier: 3, Requester: other, Assignee: a.Person.Key()}
	cmd := c.Name
	takesTicket := c.tickets != noTicket

	check := func(what string, tk *tickets.Ticket, want bool) {
		t.Helper()
		if got := a.can(c, tk); got != want {
			t.Errorf("/%s by %s on %s: can = %v, matrix cell %q says %v", cmd, role, what, got, cell, want)
		}
		if !want && tk != nil {
			if err := a.refuse(c, tk); err == nil || tickets.ErrorCode(err) == tickets.EINTERNAL {
				t.Errorf("/%s by %s on %s: refusal %v is not a plain answer", cmd, role, what, err)
			}
		}
	}
	switch cell {
	case "yes":
		if takesTicket {
			t.Errorf("/%s takes a ticket: its cells must say own, tier, at tier, all or no, not %q", cmd, cell)
		}
		check("no ticket", nil, true)
	case "no":
		check("no ticket", nil, false)
		for tier := 1; tier <= 3; tier++ {
			check("any ticket", ticketAt(tier), false)
		}
	case "own":
		check("their own ticket", own, true)
		check("someone else's ticket", ticketAt(1), false)
	case "tier", "at tier", "all":
		if !takesTicket {
			t.Errorf("/%s takes no ticket: its cells must say yes or no, not %q", cmd, cell)
		}
		for tier := 1; tier <= 3; tier++ {
			want := cell == "all" || tier <= a.Agent.Tier
			check("a tier "+string(rune('0'+tier))+" ticket", ticketAt(tier), want)
		}
		// Ownership and assignment reach above the tier, except "at tier".
		above := cell != "at tier" || cell == "all" || a.seesAll() || a.Agent.Tier >= 3
		check("a tier 3 ticket they own", owned, above)
		check("a tier 3 ticket assigned to them", assigned, above)
	default:
		t.Errorf("/%s, %s: unknown cell %q", cmd, role, cell)
	}
}
