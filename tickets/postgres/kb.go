package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helpdesk-bot/helpdesk/kb"
)

// The knowledge base's store: articles written at the desk and the use
// counts of every article. Each method of the Store is one statement of
// its own; CountUse is also on the transaction, so a use is counted with
// the change that caused it.

// kbArticleColumns are the stored columns of an article, in scanKBArticle's
// order.
const kbArticleColumns = `id, ticket_id, markdown, created_by, created_at, updated_by, updated_at,
	published_markdown, published_by, published_at`

// SaveDraft creates the article or replaces its working copy; see
// kb.Store.SaveDraft.
func (s *Store) SaveDraft(ctx context.Context, a *kb.StoredArticle) error {
	if a.ID == "" || a.Markdown == "" {
		return fmt.Errorf("postgres: save kb draft: article has no ID or no text")
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO kb_articles (id, ticket_id, markdown, created_by, created_at, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (id) DO UPDATE SET markdown = excluded.markdown, updated_by = excluded.updated_by,
			updated_at = excluded.updated_at`,
		a.ID, dbID(a.TicketID), a.Markdown, a.CreatedBy, dbTime(a.CreatedAt), a.UpdatedBy, dbTime(a.UpdatedAt))
	if isForeignKey(err) {
		return fmt.Errorf("postgres: save kb draft %q: ticket %d does not exist", a.ID, a.TicketID)
	}
	if err != nil {
		return fmt.Errorf("postgres: save kb draft %q: %w", a.ID, err)
	}
	return nil
}

// Draft returns the article with id, draft or published, or an error
// wrapping kb.ErrNotFound.
func (s *Store) Draft(ctx context.Context, id string) (*kb.StoredArticle, error) {
	a, err := scanKBArticle(s.pool.QueryRow(ctx, `SELECT `+kbArticleColumns+` FROM kb_articles WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("postgres: kb article %q: %w", id, kb.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: kb article %q: %w", id, err)
	}
	return a, nil
}

// PublishArticle makes the working copy of article id its published text
// and returns the article as stored.
func (s *Store) PublishArticle(ctx context.Context, id, by string, at time.Time) (*kb.StoredArticle, error) {
	// One statement: the text published is the text returned, whatever
	// edit lands next.
	a, err := scanKBArticle(s.pool.QueryRow(ctx, `UPDATE kb_articles
		SET published_markdown = markdown, published_by = $1, published_at = $2
		WHERE id = $3 RETURNING `+kbArticleColumns, by, dbTime(at), id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("postgres: publish kb article %q: %w", id, kb.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: publish kb article %q: %w", id, err)
	}
	return a, nil
}

// Published returns the published articles, sorted by ID.
func (s *Store) Published(ctx context.Context) ([]*kb.StoredArticle, error) {
	// COLLATE "C": byte order, as SQLite and Go sort strings, whatever
	// the database's locale.
	rows, err := s.pool.Query(ctx, `SELECT `+kbArticleColumns+` FROM kb_articles
		WHERE published_markdown IS NOT NULL ORDER BY id COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("postgres: published kb articles: %w", err)
	}
	defer rows.Close()
	var out []*kb.StoredArticle
	for rows.Next() {
		a, err := scanKBArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: published kb articles: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: published kb articles: %w", err)
	}
	return out, nil
}

// CountUse adds n to an article's count of use on the UTC day of at, in its
// own statement.
func (s *Store) CountUse(ctx context.Context, articleID string, use kb.Use, n int, at time.Time) error {
	return (&tx{q: s.pool}).CountUse(ctx, articleID, use, n, at)
}

// CountUse adds n to an article's count of use on the UTC day of at, in
// this transaction: a use counted with the change that caused it.
func (t *tx) CountUse(ctx context.Context, articleID string, use kb.Use, n int, at time.Time) error {
	if articleID == "" || !use.Valid() {
		return fmt.Errorf("postgres: count kb use: article %q, use %q", articleID, use)
	}
	if n == 0 {
		return nil
	}
	// use is one of three known names, never caller text.
	col := string(use)
	_, err := t.q.Exec(ctx, `INSERT INTO kb_usage (article_id, day, `+col+`) VALUES ($1, $2::date, $3)
		ON CONFLICT (article_id, day) DO UPDATE SET `+col+` = kb_usage.`+col+` + excluded.`+col,
		articleID, day(at), int64(n))
	if err != nil {
		return fmt.Errorf("postgres: count kb use: %w", err)
	}
	return nil
}

// Usage returns the use counts of every article used on or after the UTC
// day of since (the zero time for all), by article ID.
func (s *Store) Usage(ctx context.Context, since time.Time) ([]kb.ArticleUsage, error) {
	q := `SELECT article_id, SUM(offered), SUM(opened), SUM(fixed) FROM kb_usage`
	var args []any
	if !since.IsZero() {
		q += ` WHERE day >= $1::date`
		args = append(args, day(since))
	}
	q += ` GROUP BY article_id ORDER BY article_id COLLATE "C"`
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: kb usage: %w", err)
	}
	defer rows.Close()
	var out []kb.ArticleUsage
	for rows.Next() {
		var u kb.ArticleUsage
		var offered, opened, fixed int64
		if err := rows.Scan(&u.ArticleID, &offered, &opened, &fixed); err != nil {
			return nil, fmt.Errorf("postgres: kb usage: %w", err)
		}
		u.Offered, u.Opened, u.Fixed = int(offered), int(opened), int(fixed)
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: kb usage: %w", err)
	}
	return out, nil
}

// day is the UTC day of t, as a date literal.
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// scanKBArticle reads one row of kbArticleColumns.
func scanKBArticle(row pgx.Row) (*kb.StoredArticle, error) {
	var a kb.StoredArticle
	var published *string
	err := row.Scan(&a.ID, idCol{&a.TicketID}, &a.Markdown, &a.CreatedBy, timeCol{&a.CreatedAt},
		&a.UpdatedBy, timeCol{&a.UpdatedAt}, &published, &a.PublishedBy, timeCol{&a.PublishedAt})
	if err != nil {
		return nil, err
	}
	if published != nil {
		a.PublishedMarkdown = *published
	}
	return &a, nil
}

// The Store keeps the knowledge base's articles and counts, and its
// transactions count uses.
var (
	_ kb.Store      = (*Store)(nil)
	_ kb.UseCounter = (*tx)(nil)
)
