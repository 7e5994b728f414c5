package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/helpdesk-bot/helpdesk/kb"
)

// The knowledge base's store: articles written at the desk and the use
// counts of every article. Each method of the Store is one statement of
// its own, so on SQLite none may be called inside InTx (it would wait for
// the write connection InTx holds); CountUse is also on the transaction,
// so a use is counted with the change that caused it.

// kbArticleColumns are the stored columns of an article, in scanKBArticle's
// order.
const kbArticleColumns = `id, ticket_id, markdown, created_by, created_at, updated_by, updated_at,
	published_markdown, published_by, published_at`

// SaveDraft creates the article or replaces its working copy; see
// kb.Store.SaveDraft.
func (s *Store) SaveDraft(ctx context.Context, a *kb.StoredArticle) error {
	if a.ID == "" || a.Markdown == "" {
		return fmt.Errorf("%s: save kb draft: article has no ID or no text", s.d.Name)
	}
	_, err := s.write.Exec(ctx, `INSERT INTO kb_articles (id, ticket_id, markdown, created_by, created_at, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (id) DO UPDATE SET markdown = excluded.markdown, updated_by = excluded.updated_by,
			updated_at = excluded.updated_at`,
		a.ID, dbID(a.TicketID), a.Markdown, a.CreatedBy, s.d.dbTime(a.CreatedAt), a.UpdatedBy, s.d.dbTime(a.UpdatedAt))
	if s.d.IsForeignKey(err) {
		return fmt.Errorf("%s: save kb draft %q: ticket %d does not exist", s.d.Name, a.ID, a.TicketID)
	}
	if err != nil {
		return s.d.wrap(fmt.Sprintf("save kb draft %q", a.ID), err)
	}
	return nil
}

// Draft returns the article with id, draft or published, or an error
// wrapping kb.ErrNotFound.
func (s *Store) Draft(ctx context.Context, id string) (*kb.StoredArticle, error) {
	a, err := scanKBArticle(s.read.QueryRow(ctx, `SELECT `+kbArticleColumns+` FROM kb_articles WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		err = kb.ErrNotFound
	}
	if err != nil {
		return nil, s.d.wrap(fmt.Sprintf("kb article %q", id), err)
	}
	return a, nil
}

// PublishArticle makes the working copy of article id its published text
// and returns the article as stored.
func (s *Store) PublishArticle(ctx context.Context, id, by string, at time.Time) (*kb.StoredArticle, error) {
	// One statement: the text published is the text returned, whatever
	// edit lands next.
	a, err := scanKBArticle(s.write.QueryRow(ctx, `UPDATE kb_articles
		SET published_markdown = markdown, published_by = $1, published_at = $2
		WHERE id = $3 RETURNING `+kbArticleColumns, by, s.d.dbTime(at), id))
	if errors.Is(err, sql.ErrNoRows) {
		err = kb.ErrNotFound
	}
	if err != nil {
		return nil, s.d.wrap(fmt.Sprintf("publish kb article %q", id), err)
	}
	return a, nil
}

// Published returns the published articles, sorted by ID.
func (s *Store) Published(ctx context.Context) ([]*kb.StoredArticle, error) {
	return queryAll(ctx, s.read, s.d, "published kb articles", scanKBArticle, `SELECT `+kbArticleColumns+`
		FROM kb_articles WHERE published_markdown IS NOT NULL ORDER BY id`+s.d.ByteOrder)
}

// scanKBArticle reads one row of kbArticleColumns.
func scanKBArticle(row Row) (*kb.StoredArticle, error) {
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

// CountUse adds n to an article's count of use on the UTC day of at, in its
// own statement.
func (s *Store) CountUse(ctx context.Context, articleID string, use kb.Use, n int, at time.Time) error {
	return s.writer.CountUse(ctx, articleID, use, n, at)
}

// CountUse adds n to an article's count of use on the UTC day of at, in
// this transaction: a use counted with the change that caused it.
func (t *Tx) CountUse(ctx context.Context, articleID string, use kb.Use, n int, at time.Time) error {
	if articleID == "" || !use.Valid() {
		return fmt.Errorf("%s: count kb use: article %q, use %q", t.d.Name, articleID, use)
	}
	if n == 0 {
		return nil
	}
	// use is one of three known names, never caller text.
	col := string(use)
	_, err := t.q.Exec(ctx, `INSERT INTO kb_usage (article_id, day, `+col+`) VALUES ($1, $2, $3)
		ON CONFLICT (article_id, day) DO UPDATE SET `+col+` = kb_usage.`+col+` + excluded.`+col,
		articleID, t.d.Day(at), int64(n))
	if err != nil {
		return t.d.wrap("count kb use", err)
	}
	return nil
}

// Usage returns the use counts of every article used on or after the UTC
// day of since (the zero time for all), by article ID.
func (s *Store) Usage(ctx context.Context, since time.Time) ([]kb.ArticleUsage, error) {
	q := `SELECT article_id, SUM(offered), SUM(opened), SUM(fixed) FROM kb_usage`
	var args []any
	if !since.IsZero() {
		q += ` WHERE day >= $1`
		args = append(args, s.d.Day(since))
	}
	q += ` GROUP BY article_id ORDER BY article_id` + s.d.ByteOrder
	return queryAll(ctx, s.read, s.d, "kb usage", scanUsage, q, args...)
}

// scanUsage reads one row of Usage.
func scanUsage(row Row) (kb.ArticleUsage, error) {
	var u kb.ArticleUsage
	var offered, opened, fixed int64
	if err := row.Scan(&u.ArticleID, &offered, &opened, &fixed); err != nil {
		return u, err
	}
	u.Offered, u.Opened, u.Fixed = int(offered), int(opened), int(fixed)
	return u, nil
}

// Transactions count uses of articles too.
var _ kb.UseCounter = (*Tx)(nil)
