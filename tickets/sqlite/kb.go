package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/helpdesk-bot/helpdesk/kb"
)

// The knowledge base's store: articles written at the desk and the use
// counts of every article. Each method of the Store runs in its own
// transaction, so none may be called inside InTx (it would wait for the
// write connection InTx holds); CountUse is also on the transaction for
// that.

// kbArticleColumns are the stored columns of an article, in scanKBArticle's
// order.
const kbArticleColumns = `id, ticket_id, markdown, created_by, created_at, updated_by, updated_at,
	published_markdown, published_by, published_at`

// SaveDraft creates the article or replaces its working copy; see
// kb.Store.SaveDraft.
func (s *Store) SaveDraft(ctx context.Context, a *kb.StoredArticle) error {
	if a.ID == "" || a.Markdown == "" {
		return fmt.Errorf("sqlite: save kb draft: article has no ID or no text")
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO kb_articles (id, ticket_id, markdown, created_by, created_at, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET markdown = excluded.markdown, updated_by = excluded.updated_by,
			updated_at = excluded.updated_at`,
		a.ID, dbID(a.TicketID), a.Markdown, a.CreatedBy, dbTime(a.CreatedAt), a.UpdatedBy, dbTime(a.UpdatedAt))
	if isForeignKey(err) {
		return fmt.Errorf("sqlite: save kb draft %q: ticket %d does not exist", a.ID, a.TicketID)
	}
	if err != nil {
		return fmt.Errorf("sqlite: save kb draft %q: %w", a.ID, err)
	}
	return nil
}

// Draft returns the article with id, draft or published, or an error
// wrapping kb.ErrNotFound.
func (s *Store) Draft(ctx context.Context, id string) (*kb.StoredArticle, error) {
	a, err := scanKBArticle(s.read.QueryRowContext(ctx, `SELECT `+kbArticleColumns+` FROM kb_articles WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlite: kb article %q: %w", id, kb.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: kb article %q: %w", id, err)
	}
	return a, nil
}

// PublishArticle makes the working copy of article id its published text
// and returns the article as stored.
func (s *Store) PublishArticle(ctx context.Context, id, by string, at time.Time) (*kb.StoredArticle, error) {
	// One statement: the text published is the text returned, whatever
	// edit lands next.
	a, err := scanKBArticle(s.write.QueryRowContext(ctx, `UPDATE kb_articles
		SET published_markdown = markdown, published_by = ?, published_at = ?
		WHERE id = ? RETURNING `+kbArticleColumns, by, dbTime(at), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlite: publish kb article %q: %w", id, kb.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: publish kb article %q: %w", id, err)
	}
	return a, nil
}

// Published returns the published articles, sorted by ID.
func (s *Store) Published(ctx context.Context) ([]*kb.StoredArticle, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+kbArticleColumns+` FROM kb_articles
		WHERE published_markdown IS NOT NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: published kb articles: %w", err)
	}
	defer rows.Close()
	var out []*kb.StoredArticle
	for rows.Next() {
		a, err := scanKBArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: published kb articles: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: published kb articles: %w", err)
	}
	return out, nil
}

// CountUse adds n to an article's count of use on the UTC day of at, in its
// own transaction.
func (s *Store) CountUse(ctx context.Context, articleID string, use kb.Use, n int, at time.Time) error {
	return (&tx{q: s.write}).CountUse(ctx, articleID, use, n, at)
}

// CountUse adds n to an article's count of use on the UTC day of at, in
// this transaction: a use counted with the change that caused it.
func (t *tx) CountUse(ctx context.Context, articleID string, use kb.Use, n int, at time.Time) error {
	if articleID == "" || !use.Valid() {
		return fmt.Errorf("sqlite: count kb use: article %q, use %q", articleID, use)
	}
	if n == 0 {
		return nil
	}
	// use is one of three known names, never caller text.
	col := string(use)
	_, err := t.q.ExecContext(ctx, `INSERT INTO kb_usage (article_id, day, `+col+`) VALUES (?, ?, ?)
		ON CONFLICT (article_id, day) DO UPDATE SET `+col+` = `+col+` + excluded.`+col,
		articleID, day(at), n)
	if err != nil {
		return fmt.Errorf("sqlite: count kb use: %w", err)
	}
	return nil
}

// Usage returns the use counts of every article used on or after the UTC
// day of since (the zero time for all), by article ID.
func (s *Store) Usage(ctx context.Context, since time.Time) ([]kb.ArticleUsage, error) {
	from := int64(0)
	if !since.IsZero() {
		from = day(since)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT article_id, SUM(offered), SUM(opened), SUM(fixed)
		FROM kb_usage WHERE day >= ? GROUP BY article_id ORDER BY article_id`, from)
	if err != nil {
		return nil, fmt.Errorf("sqlite: kb usage: %w", err)
	}
	defer rows.Close()
	var out []kb.ArticleUsage
	for rows.Next() {
		var u kb.ArticleUsage
		if err := rows.Scan(&u.ArticleID, &u.Offered, &u.Opened, &u.Fixed); err != nil {
			return nil, fmt.Errorf("sqlite: kb usage: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: kb usage: %w", err)
	}
	return out, nil
}

// day is the UTC midnight of t's day, as stored: microseconds.
func day(t time.Time) int64 {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).UnixMicro()
}

// scanKBArticle reads one row of kbArticleColumns.
func scanKBArticle(row interface{ Scan(...any) error }) (*kb.StoredArticle, error) {
	var a kb.StoredArticle
	var published sql.NullString
	err := row.Scan(&a.ID, idCol{&a.TicketID}, &a.Markdown, &a.CreatedBy, timeCol{&a.CreatedAt},
		&a.UpdatedBy, timeCol{&a.UpdatedAt}, &published, &a.PublishedBy, timeCol{&a.PublishedAt})
	if err != nil {
		return nil, err
	}
	a.PublishedMarkdown = published.String
	return &a, nil
}

// The Store keeps the knowledge base's articles and counts, and its
// transactions count uses.
var (
	_ kb.Store      = (*Store)(nil)
	_ kb.UseCounter = (*tx)(nil)
)
