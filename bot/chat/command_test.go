package chat

import "testing"

func TestCommandUsageAndLine(t *testing.T) {
	merge := Command{Name: "merge", Args: []Arg{
		{Name: "ticket", Usage: "N", Kind: ArgTicket},
		{Name: "into", Usage: "M", Kind: ArgTicket, Prefix: "into"},
	}}
	pending := Command{Name: "pending", Args: []Arg{
		{Name: "ticket", Usage: "N", Kind: ArgTicket},
		{Name: "text", Usage: "text", Optional: true},
	}}
	for _, tc := range []struct {
		c      Command
		values map[string]string
		usage  string
		line   string
	}{
		{merge, map[string]string{"ticket": "4", "into": "2"}, "/merge N into M", "/merge 4 into 2"},
		{pending, map[string]string{"ticket": "5"}, "/pending N [text]", "/pending 5"},
		{pending, map[string]string{"ticket": "5", "text": " which laptop? "}, "/pending N [text]", "/pending 5 which laptop?"},
		{Command{Name: "help"}, nil, "/help", "/help"},
	} {
		if got := tc.c.Usage(); got != tc.usage {
			t.Errorf("Usage() = %q, want %q", got, tc.usage)
		}
		if got := tc.c.Line(tc.values); got != tc.line {
			t.Errorf("Line(%v) = %q, want %q", tc.values, got, tc.line)
		}
	}
	cs := []Command{{Name: "article", Aliases: []string{"kb"}}, merge}
	if c, ok := Named(cs, "kb"); !ok || c.Name != "article" {
		t.Errorf("Named(kb) = %v, %v", c.Name, ok)
	}
	if _, ok := Named(cs, "frobnicate"); ok {
		t.Error("Named found a command that is not there")
	}
}
