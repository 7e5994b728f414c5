package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Conversation returns the conversation with key, or an ENOTFOUND error.
func (t *tx) Conversation(ctx context.Context, key string) (*tickets.Conversation, error) {
	c := tickets.Conversation{Key: key}
	err := t.q.QueryRow(ctx, `SELECT state, updated_at FROM conversations WHERE key = $1`, key).
		Scan(&c.State, timeCol{&c.UpdatedAt})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tickets.Errorf(tickets.ENOTFOUND, "conversation %q does not exist", key)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: conversation: %w", err)
	}
	return &c, nil
}

// SaveConversation creates or replaces a conversation.
func (t *tx) SaveConversation(ctx context.Context, c *tickets.Conversation) error {
	if c.Key == "" {
		return tickets.Errorf(tickets.EINVALID, "conversation has no key")
	}
	state := c.State
	if state == nil {
		state = []byte{} // the column is NOT NULL; no state is empty state
	}
	_, err := t.q.Exec(ctx, `INSERT INTO conversations (key, state, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
		c.Key, state, dbTime(c.UpdatedAt))
	if err != nil {
		return fmt.Errorf("postgres: save conversation: %w", err)
	}
	return nil
}

// DeleteConversation removes a conversation; a missing one is no error.
func (t *tx) DeleteConversation(ctx context.Context, key string) error {
	if _, err := t.q.Exec(ctx, `DELETE FROM conversations WHERE key = $1`, key); err != nil {
		return fmt.Errorf("postgres: delete conversation: %w", err)
	}
	return nil
}

// Conversation returns the conversation with key, or an ENOTFOUND error.
func (s *Store) Conversation(ctx context.Context, key string) (*tickets.Conversation, error) {
	return s.reader().Conversation(ctx, key)
}

// SaveConversation creates or replaces a conversation in its own transaction.
func (s *Store) SaveConversation(ctx context.Context, c *tickets.Conversation) error {
	return s.InTx(ctx, func(tx tickets.Tx) error { return tx.SaveConversation(ctx, c) })
}

// DeleteConversation removes a conversation in its own transaction.
func (s *Store) DeleteConversation(ctx context.Context, key string) error {
	return s.InTx(ctx, func(tx tickets.Tx) error { return tx.DeleteConversation(ctx, key) })
}
