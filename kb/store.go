package kb

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is wrapped by a Store's error for an article it does not hold.
var ErrNotFound = errors.New("article not found")

// StoredArticle is an article written at the desk (drafted from a ticket,
// edited by an agent, published by an admin), as the Store keeps it. Its
// text is the markdown that ParseArticle reads.
type StoredArticle struct {
	ID       string
	TicketID int64 // the ticket it was drafted from, 0 if none
	// Markdown is the working copy that agents edit.
	Markdown string
	// PublishedMarkdown is the text in search, "" until first published.
	// Editing a published article changes Markdown only; publishing again
	// copies it here.
	PublishedMarkdown string

	CreatedBy   string // Person.Key of the agent who drafted it
	CreatedAt   time.Time
	UpdatedBy   string // Person.Key of the last editor
	UpdatedAt   time.Time
	PublishedBy string // Person.Key of the admin who last published it
	PublishedAt time.Time
}

// IsPublished reports whether the article is in search.
func (a *StoredArticle) IsPublished() bool { return a.PublishedMarkdown != "" }

// Use is one way an article served someone, counted for the KB audit.
type Use string

// The uses of an article that are counted.
const (
	UseOffered Use = "offered" // shown as a suggestion during intake
	UseOpened  Use = "opened"  // read in full with /article ID
	UseFixed   Use = "fixed"   // marked "this fixed it"
)

// Valid reports whether u is a known use.
func (u Use) Valid() bool { return u == UseOffered || u == UseOpened || u == UseFixed }

// ArticleUsage is how often one article was offered, opened and marked
// "fixed it" over a period.
type ArticleUsage struct {
	ArticleID string
	Offered   int
	Opened    int
	Fixed     int
}

// UseCounter counts uses of articles. A store's transaction may implement
// it too, so a use is counted together with the change that caused it (and
// once for a redelivered event).
type UseCounter interface {
	// CountUse adds n to the article's count of use on the UTC day of at.
	CountUse(ctx context.Context, articleID string, use Use, n int, at time.Time) error
}

// Store keeps the articles written at the desk and the use counts of every
// article, built-in ones included.
type Store interface {
	UseCounter
	// SaveDraft creates the article or replaces its working copy. Its
	// ticket, creator and creation time are kept from the first save; a
	// published text stays published until PublishArticle.
	SaveDraft(ctx context.Context, a *StoredArticle) error
	// Draft returns the article with id, draft or published, or an error
	// wrapping ErrNotFound.
	Draft(ctx context.Context, id string) (*StoredArticle, error)
	// PublishArticle makes the working copy of article id its published
	// text and returns the article as stored, or an error wrapping
	// ErrNotFound.
	PublishArticle(ctx context.Context, id, by string, at time.Time) (*StoredArticle, error)
	// Published returns the published articles, sorted by ID.
	Published(ctx context.Context) ([]*StoredArticle, error)
	// Usage returns the use counts of every article used on or after the
	// UTC day of since (the zero time for all), by article ID.
	Usage(ctx context.Context, since time.Time) ([]ArticleUsage, error)
}
