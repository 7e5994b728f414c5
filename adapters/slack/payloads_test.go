package slack

import "fmt"

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
