package bot

import (
	"context"
	"errors"
	"sync"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/kb"
)

// Model calls can take up to the LLM budget, and intake runs in the
// store's write transaction, which SQLite gives one writer at a time: a
// call inside it would hold every other conversation up. So with a model
// configured, intake runs a message twice. The first, rehearsal, pass runs
// the step and rolls it back, noting what it would have asked the model;
// the calls are then made with no transaction open; the second pass runs
// the step for real and takes the answers from the notes. An input the
// rehearsal did not see (the state changed in between) gets the offline
// result, never a call inside the transaction.

// errRehearsal rolls the rehearsal pass back.
var errRehearsal = errors.New("intake rehearsal")

// modelNotes carries model requests and answers between the passes of one
// message; it lives in that message's context only.
type modelNotes struct {
	mu        sync.Mutex
	rehearsal bool
	reranks   map[string][]kb.Result // query → candidates, then → the model's order
	reranked  map[string]bool        // queries the model answered
	extracts  map[string]*extract.Suggested
}

type notesKey struct{}

func withNotes(ctx context.Context, n *modelNotes) context.Context {
	return context.WithValue(ctx, notesKey{}, n)
}

func notesFrom(ctx context.Context) *modelNotes {
	n, _ := ctx.Value(notesKey{}).(*modelNotes)
	return n
}

// rehearsing reports whether ctx is the rehearsal pass, whose work is
// rolled back: it logs nothing as done.
func rehearsing(ctx context.Context) bool {
	n := notesFrom(ctx)
	return n != nil && n.rehearsal
}

// intakeWithModels runs intake as described above.
func (b *Bot) intakeWithModels(ctx context.Context, m chat.Message, secret bool) ([]chat.Reply, error) {
	notes := &modelNotes{rehearsal: true, reranks: map[string][]kb.Result{}, reranked: map[string]bool{}, extracts: map[string]*extract.Suggested{}}
	if _, err := b.intakeTx(withNotes(ctx, notes), m, secret); err != nil && !errors.Is(err, errRehearsal) {
		return nil, err
	}
	b.askModels(ctx, notes)
	notes.rehearsal = false
	return b.intakeTx(withNotes(ctx, notes), m, secret)
}

// askModels makes the noted calls, at once and within one budget, with no
// transaction open.
func (b *Bot) askModels(ctx context.Context, n *modelNotes) {
	// Take the requests first: the answers go into the same maps.
	type rerankReq struct {
		query string
		cands []kb.Result
	}
	var reranks []rerankReq
	var texts []string
	for q, c := range n.reranks {
		reranks = append(reranks, rerankReq{q, c})
	}
	for text := range n.extracts {
		texts = append(texts, text)
	}
	var wg sync.WaitGroup
	for _, r := range reranks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got := b.rerank(ctx, r.query, r.cands)
			n.mu.Lock()
			n.reranks[r.query], n.reranked[r.query] = got, true
			n.mu.Unlock()
		}()
	}
	for _, text := range texts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := b.llm.withBudget(ctx)
			defer cancel()
			sf, err := b.llm.extractor.ExtractFields(cctx, text)
			if err != nil {
				b.log.DebugContext(ctx, "extract: offline fields only", "err", err)
				return
			}
			n.mu.Lock()
			n.extracts[text] = &sf
			n.mu.Unlock()
		}()
	}
	wg.Wait()
}
