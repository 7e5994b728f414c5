package sqlstore

import "testing"

func TestPositional(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`INSERT INTO t (a, b) VALUES ($1, $2) RETURNING id`, `INSERT INTO t (a, b) VALUES (?, ?) RETURNING id`},
		{`UPDATE t SET a = $1 WHERE id = $10`, `UPDATE t SET a = ? WHERE id = ?10`},
		// A bare ? would take the next number, not the one written.
		{`SELECT $1::bigint WHERE EXISTS (SELECT 1 FROM t WHERE id = $1)`, `SELECT ?::bigint WHERE EXISTS (SELECT 1 FROM t WHERE id = ?1)`},
		{`SELECT $2, $1, $3`, `SELECT ?2, ?1, ?`},
		// Quoted text and identifiers with a $ stay as they are.
		{`SELECT '$1', "a$1", a$1, $1 FROM t WHERE x = 'it''s $2'`, `SELECT '$1', "a$1", a$1, ? FROM t WHERE x = 'it''s $2'`},
		{`SELECT $ FROM 'unterminated $1`, `SELECT $ FROM 'unterminated $1`},
	} {
		if got := Positional(tc.in); got != tc.want {
			t.Errorf("Positional(%q) =\n %q, want\n %q", tc.in, got, tc.want)
		}
	}
}
