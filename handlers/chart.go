package handlers

import (
	"fmt"

	"tryggspor/internal/stats"
)

// chart is a server-rendered SVG bar chart. Hidden counts draw no bar and are
// labelled with the mark, so the picture reveals nothing the table does not.
// On narrow screens the stylesheet hides the chart and the table beside it
// carries the figures (the labels would shrink below 12 px).
type chart struct {
	Width, Height, Base int
	Groups              []chartGroup
	Keys                []string // the series, in bar order
	Desc                string
}

type chartGroup struct {
	Label  string
	LabelX int
	Bars   []chartBar
}

type chartBar struct {
	X, Y, W, H, TextX, TextY int
	Text, Class              string
}

// bars lays out groups of cells (one per series) on a common scale.
func bars(groups [][]*stats.Cell, labels []string, classes []string) chart {
	const h, top, bottom, bw, gap = 280, 24, 40, 40, 40
	gw := bw*len(classes) + gap
	ch := chart{Width: 10 + gw*len(groups), Height: h, Base: h - bottom}
	max := 1
	for _, g := range groups {
		for _, c := range g {
			if !c.Hidden && c.Value > max {
				max = c.Value
			}
		}
	}
	for i, g := range groups {
		x := 10 + i*gw
		cg := chartGroup{Label: labels[i], LabelX: x + bw*len(classes)/2}
		for j, c := range g {
			b := chartBar{X: x + j*bw, W: bw - 4, Text: stats.Group(stats.Show(c.Value, c.Hidden)), Class: classes[j]}
			if !c.Hidden {
				b.H = c.Value * (h - top - bottom) / max
			}
			b.Y = h - bottom - b.H
			b.TextX, b.TextY = b.X+b.W/2, b.Y-4
			cg.Bars = append(cg.Bars, b)
		}
		ch.Groups = append(ch.Groups, cg)
	}
	return ch
}

// barChart is this year against last year per category.
func barChart(s *stats.Summary, lang string) chart {
	cur := s.Table("by_category").Cells
	var groups [][]*stats.Cell
	var labels []string
	for _, c := range cur {
		p := &stats.Cell{}
		if s.PrevYear != nil {
			if pc := s.PrevYear.Cell("by_category", c.Key); pc != nil {
				p = pc
			}
		}
		groups = append(groups, []*stats.Cell{p, c})
		labels = append(labels, c.Label)
	}
	ch := bars(groups, labels, []string{"bar-prev", "bar-this"})
	ch.Keys = []string{fmt.Sprint(s.Year - 1), fmt.Sprint(s.Year)}
	ch.Desc = fmt.Sprintf("Stolpediagram: saker per kategori i %d mot %d. Tallene står i tabellen under.", s.Year, s.Year-1)
	if lang == "en" {
		ch.Desc = fmt.Sprintf("Bar chart: cases by category in %d against %d. The figures are in the table below.", s.Year, s.Year-1)
	}
	return ch
}

// yearChart is the cases of each of the five years.
func yearChart(s *stats.Summary) chart {
	var groups [][]*stats.Cell
	var labels []string
	for _, y := range s.Years {
		groups = append(groups, []*stats.Cell{{Value: y.Total, Hidden: y.TotalHidden}})
		labels = append(labels, fmt.Sprint(y.Year))
	}
	ch := bars(groups, labels, []string{"bar-this"})
	ch.Desc = "Stolpediagram: saker per år. Tallene står i tabellen under."
	return ch
}
