package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Macros returns the macros added in chat, by name.
func (t *Tx) Macros(ctx context.Context) ([]*tickets.Macro, error) {
	return queryAll(ctx, t.q, t.d, "macros", func(row Row) (*tickets.Macro, error) {
		var m tickets.Macro
		if err := row.Scan(&m.Name, &m.Text, &m.Author, timeCol{&m.UpdatedAt}); err != nil {
			return nil, err
		}
		return &m, nil
	}, `SELECT name, text, author, updated_at FROM macros ORDER BY name`)
}

// SaveMacro adds a macro, or replaces the one of the same name.
func (t *Tx) SaveMacro(ctx context.Context, m *tickets.Macro) error {
	if m.Name == "" || m.Text == "" {
		return tickets.Errorf(tickets.EINVALID, "a macro needs a name and a text")
	}
	_, err := t.q.Exec(ctx, `INSERT INTO macros (name, text, author, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (name) DO UPDATE SET text = excluded.text, author = excluded.author, updated_at = excluded.updated_at`,
		m.Name, m.Text, m.Author, t.d.dbTime(m.UpdatedAt))
	if err != nil {
		return t.d.wrap("save macro", err)
	}
	return nil
}

// DeleteMacro removes the macro called name, or returns ENOTFOUND.
func (t *Tx) DeleteMacro(ctx context.Context, name string) error {
	n, err := t.q.Exec(ctx, `DELETE FROM macros WHERE name = $1`, name)
	if err != nil {
		return t.d.wrap("delete macro", err)
	}
	if n == 0 {
		return tickets.Errorf(tickets.ENOTFOUND, "macro %q does not exist", name)
	}
	return nil
}

// CountMacroUse counts one use of the macro called name.
func (t *Tx) CountMacroUse(ctx context.Context, name string) (int, error) {
	var uses int
	err := t.q.QueryRow(ctx, `INSERT INTO macro_uses (name, uses) VALUES ($1, 1)
		ON CONFLICT (name) DO UPDATE SET uses = macro_uses.uses + 1 RETURNING uses`, name).Scan(&uses)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, tickets.Errorf(tickets.EINTERNAL, "counting the use of macro %q returned nothing", name)
	} else if err != nil {
		return 0, t.d.wrap("count macro use", err)
	}
	return uses, nil
}

// MacroUses returns how often each macro was used, by name.
func (t *Tx) MacroUses(ctx context.Context) (map[string]int, error) {
	type use struct {
		name string
		n    int
	}
	rows, err := queryAll(ctx, t.q, t.d, "macro uses", func(row Row) (use, error) {
		var u use
		return u, row.Scan(&u.name, &u.n)
	}, `SELECT name, uses FROM macro_uses`)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(rows))
	for _, u := range rows {
		out[u.name] = u.n
	}
	return out, nil
}
