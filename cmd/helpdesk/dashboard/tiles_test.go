package dashboard

import (
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets/kpi"
)

// The CSAT tile counts its ratings in good English: one rating, not "1
// ratings".
func TestCSATTileRatings(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "average rating of 5, 0 ratings"},
		{1, "average rating of 5, 1 rating ("},
		{3, "average rating of 5, 3 ratings"},
	} {
		f := kpi.Figures{CSAT: kpi.Mean{N: tc.n, Sum: 4 * tc.n}}
		for _, tl := range tiles(f, kpi.Figures{}) {
			if tl.Label == "CSAT" && !strings.HasPrefix(tl.Help, tc.want) {
				t.Errorf("%d ratings: %q, want it to start %q", tc.n, tl.Help, tc.want)
			}
		}
	}
}
