package discord

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// componentLabel is Discord's Label layout component (type 18), which
// discordgo v0.29 does not know: a modal's field with its label text.
const componentLabel discordgo.ComponentType = 18

// decodeInteraction reads an interaction as Discord sends it, over the
// gateway or the HTTP endpoint. discordgo refuses a whole interaction
// when one component is of a type it does not know (a Label, a file
// upload, whatever Discord adds next), which left Data nil and took the
// process down. So the components are first brought to what discordgo
// reads: a Label becomes the action row it replaces, keeping its child,
// and a component of an unknown type is dropped (the help desk's forms
// only hold text inputs). When the interaction still cannot be read, the
// error comes back with whatever discordgo could read of it (its ID,
// token and type, enough to answer), and Data nil.
func decodeInteraction(raw []byte) (*discordgo.Interaction, error) {
	i := &discordgo.Interaction{}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // snowflakes sent as numbers stay exact
	if err := dec.Decode(&tree); err != nil {
		return i, fmt.Errorf("discord: interaction: %w", err)
	}
	if _, ok := tree.(map[string]any); !ok {
		return i, fmt.Errorf("discord: interaction: not a JSON object")
	}
	norm, err := json.Marshal(normalizeComponents(tree))
	if err != nil {
		return i, fmt.Errorf("discord: interaction: %w", err)
	}
	if err := json.Unmarshal(norm, i); err != nil {
		i.Data = nil
		if i.ID == "" {
			// discordgo gave up before its own fields: take what
			// answering needs on its own.
			var base struct {
				ID            string `json:"id"`
				ApplicationID string `json:"application_id"`
				Token         string `json:"token"`
			}
			_ = json.Unmarshal(raw, &base)
			i.ID, i.AppID, i.Token = base.ID, base.ApplicationID, base.Token
		}
		return i, fmt.Errorf("discord: interaction: %w", err)
	}
	if err := checkData(i); err != nil {
		i.Data = nil
		return i, err
	}
	return i, nil
}

// checkData makes sure an interaction of a type the adapter serves has
// the data of that type, so the typed accessors cannot panic.
func checkData(i *discordgo.Interaction) error {
	var ok bool
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		_, ok = i.Data.(discordgo.ApplicationCommandInteractionData)
	case discordgo.InteractionMessageComponent:
		_, ok = i.Data.(discordgo.MessageComponentInteractionData)
	case discordgo.InteractionModalSubmit:
		_, ok = i.Data.(discordgo.ModalSubmitInteractionData)
	default:
		return nil
	}
	if !ok {
		return fmt.Errorf("discord: interaction of type %d has no data", i.Type)
	}
	return nil
}

// knownComponent says whether discordgo v0.29 decodes components of type t.
func knownComponent(t discordgo.ComponentType) bool {
	switch t {
	case discordgo.ActionsRowComponent, discordgo.ButtonComponent, discordgo.SelectMenuComponent,
		discordgo.TextInputComponent, discordgo.UserSelectMenuComponent, discordgo.RoleSelectMenuComponent,
		discordgo.MentionableSelectMenuComponent, discordgo.ChannelSelectMenuComponent,
		discordgo.SectionComponent, discordgo.TextDisplayComponent, discordgo.ThumbnailComponent,
		discordgo.MediaGalleryComponent, discordgo.FileComponentType, discordgo.SeparatorComponent,
		discordgo.ContainerComponent:
		return true
	}
	return false
}

// normalizeComponents rewrites every "components" list (and a Section's
// "accessory", a Label's "component") in v so discordgo can read it.
func normalizeComponents(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if k == "components" {
				if list, ok := child.([]any); ok {
					v[k] = normalizeList(list)
					continue
				}
			}
			if k == "accessory" || k == "component" {
				if c, ok := normalizeOne(child); ok {
					v[k] = c
				} else {
					delete(v, k)
				}
				continue
			}
			v[k] = normalizeComponents(child)
		}
		return v
	case []any:
		for n, child := range v {
			v[n] = normalizeComponents(child)
		}
		return v
	}
	return v
}

func normalizeList(list []any) []any {
	out := make([]any, 0, len(list))
	for _, c := range list {
		if c, ok := normalizeOne(c); ok {
			out = append(out, c)
		}
	}
	return out
}

// normalizeOne turns a Label into an action row around its child and
// reports false for a component discordgo cannot read.
func normalizeOne(c any) (any, bool) {
	m, ok := c.(map[string]any)
	if !ok {
		return nil, false
	}
	t, ok := componentType(m["type"])
	if !ok {
		return nil, false
	}
	if t == componentLabel {
		child, ok := normalizeOne(m["component"])
		if !ok {
			return nil, false
		}
		return map[string]any{"type": int(discordgo.ActionsRowComponent), "components": []any{child}}, true
	}
	if !knownComponent(t) {
		return nil, false
	}
	if values, ok := m["values"].([]any); ok && t == discordgo.SelectMenuComponent {
		// A string select as a modal submits it: discordgo's SelectMenu
		// has no field for the values picked, so it is read as the
		// text input it stands in for, its value the one picked.
		var v string
		if len(values) > 0 {
			v, _ = values[0].(string)
		}
		return map[string]any{"type": int(discordgo.TextInputComponent), "custom_id": m["custom_id"], "value": v}, true
	}
	return normalizeComponents(m), true
}

func componentType(v any) (discordgo.ComponentType, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	t, err := n.Int64()
	if err != nil || t < 0 || t > 255 {
		return 0, false
	}
	return discordgo.ComponentType(t), true
}
