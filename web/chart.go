package web

import (
	"fmt"
	"slices"

	"lantern/toolkit"
)

// chartPoint is one assessment on the level-history chart.
type chartPoint struct {
	X, Y  int
	Date  string
	Level string
}

// chart is a small SVG of recorded levels over time, drawn on the server
// (no script), with the same data in a table for screen readers.
type chart struct {
	Width, Height int
	Points        []chartPoint
	Path          string
	Levels        []chartLevel
}

type chartLevel struct {
	Y     int
	Label string
}

const (
	chartW, chartH = 560, 180
	chartLeft      = 110
	chartTop       = 15
	chartStep      = 35
)

func levelChart(as []*toolkit.Assessment) *chart {
	if len(as) == 0 {
		return nil
	}
	asc := slices.Clone(as)
	slices.Reverse(asc) // oldest first
	c := &chart{Width: chartW, Height: chartH}
	for i, l := range toolkit.Levels {
		c.Levels = append(c.Levels, chartLevel{Y: chartTop + (len(toolkit.Levels)-1-i)*chartStep, Label: l.Label()})
	}
	n := len(asc)
	for i, a := range asc {
		x := chartLeft + 20
		if n > 1 {
			x = chartLeft + 20 + i*(chartW-chartLeft-40)/(n-1)
		}
		y := chartTop + (len(toolkit.Levels)-1-a.RecordedLevel.Rank())*chartStep
		c.Points = append(c.Points, chartPoint{X: x, Y: y, Date: a.AssessedOn.Format(), Level: a.RecordedLevel.Label()})
		if i == 0 {
			c.Path = fmt.Sprintf("M%d %d", x, y)
		} else {
			c.Path += fmt.Sprintf(" L%d %d", x, y)
		}
	}
	return c
}
