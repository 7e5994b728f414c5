package slack

import (
	"fmt"
	"strconv"
	"time"
)

// Envelope payloads, shaped as Slack sends them.

// messageEvent is an events_api payload for a message.
func messageEvent(eventID, channel, channelType, user, text, ts, threadTS string) map[string]any {
	ev := map[string]any{"type": "message", "channel": channel, "channel_type": channelType, "user": user,
		"text": text, "ts": ts, "event_ts": ts}
	if threadTS != "" {
		ev["thread_ts"] = threadTS
	}
	return callback(eventID, ev)
}

// callback wraps an inner event in an event_callback.
func callback(eventID string, ev map[string]any) map[string]any {
	return map[string]any{"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
		"event_id": eventID, "event_time": 1700000000, "event": ev}
}

// buttonPress is a block_actions payload for pressing a button of p. As
// in Slack's, the message is there as the person's client shows it: its
// text and blocks.
func buttonPress(trigger, user string, p post, actionID, value string) map[string]any {
	channel := p.Channel
	msg := map[string]any{"type": "message", "ts": p.TS, "thread_ts": p.ThreadTS, "text": p.Text}
	if len(p.Raw) > 0 {
		msg["blocks"] = p.Raw
	}
	return map[string]any{
		"type": "block_actions", "trigger_id": trigger, "user": map[string]any{"id": user},
		"channel":   map[string]any{"id": channel},
		"container": map[string]any{"type": "message", "channel_id": channel, "message_ts": p.TS, "thread_ts": p.ThreadTS},
		"message":   msg,
		"actions":   []map[string]any{{"type": "button", "action_id": actionID, "value": value, "block_id": "actions", "action_ts": strconv.Itoa(int(time.Now().UnixNano()))}},
	}
}

// viewSubmission is a view_submission payload for the modal view with the
// given field values.
func viewSubmission(trigger, user, viewID string, view map[string]any, values map[string]string) map[string]any {
	selects := map[string]bool{} // block IDs of the view's static_selects
	if blocks, ok := view["blocks"].([]any); ok {
		for _, b := range blocks {
			b, _ := b.(map[string]any)
			if el, ok := b["element"].(map[string]any); ok && el["type"] == "static_select" {
				selects[fmt.Sprint(b["block_id"])] = true
			}
		}
	}
	state := map[string]any{}
	for k, v := range values {
		if selects[k] {
			state[k] = map[string]any{k: map[string]any{"type": "static_select", "selected_option": map[string]any{"value": v, "text": map[string]any{"type": "plain_text", "text": v}}}}
			continue
		}
		state[k] = map[string]any{k: map[string]any{"type": "plain_text_input", "value": v}}
	}
	return map[string]any{
		"type": "view_submission", "trigger_id": trigger, "user": map[string]any{"id": user},
		"view": map[string]any{"id": viewID, "type": "modal", "callback_id": view["callback_id"],
			"private_metadata": view["private_metadata"], "state": map[string]any{"values": state}},
	}
}

// slashCommand is a slash_commands payload.
func slashPayload(trigger, user, channel, text, responseURL string) map[string]any {
	return map[string]any{"command": "/helpdesk", "text": text, "user_id": user, "channel_id": channel,
		"team_id": "T1", "response_url": responseURL, "trigger_id": trigger}
}
