package browser_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// chartsMatchTables reads every figure on the page as the browser shows it:
// each value a chart draws (its data-value, by category or period and by
// series) against the cell of the table beside it. It answers how many
// values were drawn and what differs.
const chartsMatchTables = `(function(){
  const out = []; let drawn = 0, figures = 0;
  for (const fig of document.querySelectorAll('.app-figure')) {
    figures++;
    const table = fig.querySelector('table'), svg = fig.querySelector('svg[role=img]');
    if (!table || !svg) { out.push((fig.id || '?') + ': no chart or no table'); continue; }
    const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
    const cells = {};
    for (const tr of table.querySelectorAll('tbody tr')) {
      const label = tr.querySelector('th').textContent.trim();
      [...tr.querySelectorAll('td')].forEach((td, i) => { cells[label + '|' + heads[i + 1]] = td.textContent.trim(); });
    }
    const line = svg.dataset.chart === 'line';
    for (const el of svg.querySelectorAll('[data-value]')) {
      const series = el.dataset.series || (el.closest('[data-series]') || {dataset: {}}).dataset.series;
      const cat = el.dataset.period || (el.closest('[data-category]') || {dataset: {}}).dataset.category;
      // The trend's table has a row a period and a column a series.
      const key = line ? cat + '|' + series : cat + '|' + series;
      drawn++;
      if (cells[key] !== el.dataset.value) out.push(fig.id + ' ' + key + ': drawn ' + el.dataset.value + ', tabled ' + cells[key]);
    }
    const title = svg.querySelector('title'), desc = svg.querySelector('desc');
    const named = (svg.getAttribute('aria-labelledby') || '').split(' ');
    if (!title || !desc || named[0] !== title.id || named[1] !== desc.id || !desc.textContent.trim()) out.push(fig.id + ': not named by its title and description');
  }
  return JSON.stringify({figures, drawn, out});
})()`

type chartCheck struct {
	Figures, Drawn int
	Out            []string
}

func (b *tab) chartsMatch(name string) chartCheck {
	b.t.Helper()
	var c chartCheck
	if err := json.Unmarshal([]byte(eval[string](b, chartsMatchTables)), &c); err != nil {
		b.t.Fatalf("%s: %v", name, err)
	}
	if c.Figures == 0 || c.Drawn == 0 {
		b.t.Errorf("%s: %d figures, %d values drawn", name, c.Figures, c.Drawn)
	}
	for _, o := range c.Out {
		b.t.Errorf("%s: %s", name, o)
	}
	return c
}

// TestFigureCharts: the manager reads the data set with a chart beside
// each table, under dfe, the trend by quarter, and the problem profile;
// every chart's numbers are its table's, and every page passes axe-core,
// as do the pages naming a bad period and a bad profile.
func TestFigureCharts(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	base := startDemo(t)
	mgr := signInDemo(t, base, "manager@northmoor.example.org")

	for _, p := range []struct{ name, path, h1 string }{
		{"the data set under dfe", "/reports/dataset?profile=dfe", "The partnership's data set"},
		{"the data set, exact", "/reports/dataset", "The partnership's data set"},
		{"the trend by month", "/reports/trend", "The trend"},
		{"the trend by quarter under nhs", "/reports/trend?period=quarter&profile=nhs", "The trend"},
		{"the problem profile", "/reports/profile", "Problem profile: child sexual exploitation"},
	} {
		mgr.wantStatus(p.name, mgr.navigate(p.path), 200)
		if got := mgr.text("h1"); got != p.h1 {
			t.Errorf("%s: h1 %q", p.name, got)
		}
		c := mgr.chartsMatch(p.name)
		t.Logf("%s: %d figures, %d values drawn", p.name, c.Figures, c.Drawn)
		mgr.checkPage(p.name)
		mgr.screenshot(strings.NewReplacer(" ", "-", ",", "").Replace(p.name))
	}
	// The pack's headings go in order, from one h1.
	mgr.wantStatus("the pack", mgr.navigate("/reports/profile?profile=ons-10-5"), 200)
	levels := eval[string](mgr, `[...document.querySelectorAll('main h1, main h2, main h3')].map(h => h.tagName[1]).join('')`)
	if !strings.HasPrefix(levels, "12") || strings.Count(levels, "1") != 1 || strings.Contains(levels, "13") {
		t.Errorf("the pack's heading levels: %s", levels)
	}
	mgr.chartsMatch("the pack under ons-10-5")

	mgr.wantStatus("a bad period", mgr.navigate("/reports/trend?period=fortnight"), 422)
	mgr.checkErrorSummary(map[string]string{"#period": "Period must be month, quarter or year"})
	mgr.checkPage("the trend with an error")
	mgr.wantStatus("a bad profile", mgr.navigate("/reports/profile?profile=open&from=2026-01-01&to=2025-01-01"), 422)
	mgr.checkErrorSummary(map[string]string{"#profile": "Profile must be one of", "#from": "The start must be on or before the end", "#to": "The end must be on or after the start"})
	mgr.checkPage("the pack with errors")
}
