package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Every subcommand answers -h, help and "helpdesk help NAME" with its
// usage on standard output and exit 0, not "unknown subcommand".
func TestSubcommandHelp(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"kb", "-h"}, "helpdesk kb search"},
		{[]string{"kb", "help"}, "helpdesk kb eval"},
		{[]string{"help", "kb"}, "helpdesk kb search"},
		{[]string{"intake", "-h"}, "helpdesk intake eval --cases"},
		{[]string{"intake", "--help"}, "helpdesk intake eval --cases"},
		{[]string{"version", "-h"}, "Usage: helpdesk version"},
		{[]string{"help", "version"}, "Usage: helpdesk version"},
		{[]string{"help", "-config"}, "helpdesk — a chat-ops IT help desk bot"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut strings.Builder
			code := run(context.Background(), tt.args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, now: time.Now})
			if code != 0 || !strings.Contains(out.String(), tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 0 and %q", code, out.String(), errOut.String(), tt.want)
			}
		})
	}
}
