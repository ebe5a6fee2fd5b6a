package handlers

import (
	"fmt"

	"tryggspor/internal/stats"
)

// chart is a server-rendered SVG bar chart: this year against last year per
// category. Hidden counts draw no bar and are labelled with the mark, so the
// picture reveals nothing the table does not.
type chart struct {
	Width, Height int
	Groups        []chartGroup
	ThisYear      string
	PrevYear      string
	Desc          string
}

type chartGroup struct {
	Label      string
	X, LabelX  int
	This, Prev chartBar
}

type chartBar struct {
	X, Y, W, H int
	Text       string
	TextY      int
}

func barChart(s *stats.Summary) chart {
	const w, h, top, bottom, gw, bw = 720, 280, 20, 40, 120, 40
	ch := chart{Width: w, Height: h, ThisYear: fmt.Sprint(s.Year), PrevYear: fmt.Sprint(s.Year - 1),
		Desc: fmt.Sprintf("Stolpediagram: saker per kategori i %d mot %d. Tallene står i tabellen under.", s.Year, s.Year-1)}
	cur, prev := s.Table("by_category").Cells, s.PrevByCat.Cells
	max := 1
	for i := range cur {
		for _, c := range []*stats.Cell{cur[i], prev[i]} {
			if !c.Hidden && c.Value > max {
				max = c.Value
			}
		}
	}
	bar := func(c *stats.Cell, x int) chartBar {
		b := chartBar{X: x, W: bw, Text: stats.Show(c.Value, c.Hidden)}
		if !c.Hidden {
			b.H = c.Value * (h - top - bottom) / max
		}
		b.Y = h - bottom - b.H
		b.TextY = b.Y - 4
		return b
	}
	for i := range cur {
		x := 10 + i*gw
		ch.Groups = append(ch.Groups, chartGroup{Label: cur[i].Label, X: x, LabelX: x + bw,
			Prev: bar(prev[i], x), This: bar(cur[i], x+bw)})
	}
	return ch
}
