package dashboard

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// Charts are drawn here, on the server, as inline SVG: no script, no
// chart library, nothing to build, and they scale with the page (a
// viewBox, width 100%) from a phone to a laptop.

// palette colours a chart's series or parts, in order; each is readable on
// white and told apart by the legend's text as well.
var palette = []string{"#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed"}

// chart is one drawn chart with its legend.
type chart struct {
	Title  string
	SVG    template.HTML
	Legend []legend
	// Points counts the data drawn (points or non-empty bars), so a page
	// test can tell a chart with data from an empty frame.
	Points int
}

type legend struct{ Name, Color string }

type series struct {
	Name   string
	Values []float64 // one per label; negative for no value
}

type bar struct {
	Label string
	Parts []float64
}

func (b bar) total() float64 {
	s := 0.0
	for _, p := range b.Parts {
		s += p
	}
	return s
}

func legendOf(names []string) []legend {
	var out []legend
	for i, n := range names {
		out = append(out, legend{n, palette[i%len(palette)]})
	}
	return out
}

// lineChart draws series over labels; unit "%" fixes the scale at 0-100.
func lineChart(title string, labels []string, unit string, ss []series) chart {
	const w, h, left, right, top, bottom = 640.0, 250.0, 48.0, 24.0, 12.0, 34.0
	pw, ph := w-left-right, h-top-bottom
	ymax := 100.0
	if unit != "%" {
		ymax = 1
		for _, s := range ss {
			for _, v := range s.Values {
				ymax = math.Max(ymax, v)
			}
		}
		ymax = niceCeil(ymax)
	}
	x := func(i int) float64 {
		if len(labels) <= 1 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(len(labels)-1)
	}
	y := func(v float64) float64 { return top + ph*(1-v/ymax) }
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, w, h, html.EscapeString(title))
	for i := 0; i <= 4; i++ { // grid and scale
		v := ymax * float64(i) / 4
		fmt.Fprintf(&sb, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" class="grid"/><text x="%.1f" y="%.1f" class="axis" text-anchor="end">%s%s</text>`,
			left, w-right, y(v), y(v), left-6, y(v)+4, trimFloat(v), unit)
	}
	step := max(1, (len(labels)+5)/6)
	last := len(labels) - 1
	for i, l := range labels {
		// Every step-th day, and the last, leaving out one that would
		// touch the last.
		if i%step == 0 && last-i > step/2 || i == last {
			fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" class="axis" text-anchor="middle">%s</text>`, x(i), h-10, html.EscapeString(l))
		}
	}
	points := 0
	var names []string
	for si, s := range ss {
		names = append(names, s.Name)
		color := palette[si%len(palette)]
		var path strings.Builder
		pen := "M"
		for i, v := range s.Values {
			if v < 0 {
				pen = "M"
				continue
			}
			fmt.Fprintf(&path, "%s%.1f %.1f ", pen, x(i), y(v))
			pen = "L"
		}
		fmt.Fprintf(&sb, `<path d="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.TrimSpace(path.String()), color)
		for i, v := range s.Values {
			if v < 0 {
				continue
			}
			points++
			fmt.Fprintf(&sb, `<circle class="pt" cx="%.1f" cy="%.1f" r="2.5" fill="%s"><title>%s %s: %s%s</title></circle>`,
				x(i), y(v), color, html.EscapeString(labels[i]), html.EscapeString(s.Name), trimFloat(v), unit)
		}
	}
	sb.WriteString(`</svg>`)
	return chart{Title: title, SVG: template.HTML(sb.String()), Legend: legendOf(names), Points: points}
}

// barChart draws one horizontal bar per item, its parts stacked.
func barChart(title string, parts []string, bars []bar) chart {
	const w, left, right, row = 640.0, 190.0, 44.0, 30.0
	h := math.Max(row*float64(len(bars))+8, 40)
	pw := w - left - right
	maxTotal := 0.0
	for _, b := range bars {
		maxTotal = math.Max(maxTotal, b.total())
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, w, h, html.EscapeString(title))
	points := 0
	if maxTotal == 0 {
		fmt.Fprintf(&sb, `<text x="%.0f" y="24" class="axis" text-anchor="middle">nothing in this period</text>`, w/2)
	}
	for i, b := range bars {
		yy := 4 + row*float64(i)
		fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" class="label" text-anchor="end">%s</text>`, left-8, yy+row/2+4, html.EscapeString(clip(b.Label, 22)))
		if maxTotal == 0 {
			continue
		}
		xx := left
		for pi, p := range b.Parts {
			if p <= 0 {
				continue
			}
			bw := pw * p / maxTotal
			fmt.Fprintf(&sb, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s — %s: %s</title></rect>`,
				xx, yy+4, bw, row-8, palette[pi%len(palette)], html.EscapeString(b.Label), html.EscapeString(parts[pi]), trimFloat(p))
			xx += bw
		}
		if b.total() > 0 {
			points++
		}
		fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" class="axis">%s</text>`, xx+6, yy+row/2+4, trimFloat(b.total()))
	}
	sb.WriteString(`</svg>`)
	return chart{Title: title, SVG: template.HTML(sb.String()), Legend: legendOf(parts), Points: points}
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten, for a scale.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func trimFloat(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
