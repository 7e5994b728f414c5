package bot

import (
	"context"
	"time"
)

// Extraction is regular-expression work of about half a millisecond, and
// intake runs in the store's write transaction, which SQLite gives one
// writer at a time. So intake extracts from the message before the
// transaction opens and hands the result in through the context; inside,
// extract returns it instead of working again.

// extractMemo is the extraction of one message's text.
type extractMemo struct {
	text string
	ex   Extraction
}

type extractKey struct{}

// withExtraction extracts from text now, for the transaction to come.
func withExtraction(ctx context.Context, text string, now time.Time) context.Context {
	return context.WithValue(ctx, extractKey{}, &extractMemo{text: text, ex: Extract(text, now)})
}

// extract is Extract(text), from the memo when it holds text.
func (b *Bot) extract(ctx context.Context, text string) Extraction {
	if m, ok := ctx.Value(extractKey{}).(*extractMemo); ok && m.text == text {
		return m.ex
	}
	return Extract(text, b.now())
}
