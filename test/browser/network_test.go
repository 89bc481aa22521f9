package browser_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestNetworkDrawing: in the demonstration, the police officer opens the
// network around Keira. With scripts, Cytoscape.js draws it interactively
// (under the CSP, no violation), with as many nodes and links as the
// tables list; the SVG is hidden and a button swaps back to it and again;
// selecting a node opens its page; axe passes with either drawing shown.
// With scripts off, the SVG and the tables are there, and the interactive
// drawing and its button are not.
func TestNetworkDrawing(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	base := startDemo(t)
	b := signInDemo(t, base, "officer@police.example.org")
	b.wantStatus("search", b.navigate("/children?q=Keira"), 200)
	b.wantStatus("Keira", b.click(`main table tbody tr a`), 200)
	child := b.path()
	netPath := child + "/network"
	b.wantStatus("the network", b.navigate(netPath), 200)
	if h := b.text("h1"); !strings.HasPrefix(h, "The network around Keira ") {
		t.Fatalf("at %s, the heading is %q", b.path(), h)
	}

	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById('network-cy').dataset.nodes !== undefined`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("the interactive drawing never said what it drew: %v", err)
	}
	b.checkPage("the network, drawn interactively")
	b.screenshot("network-interactive")

	listedNodes := eval[int](b, `document.querySelectorAll('table.app-net-nodes tr[data-ref]').length`)
	listedEdges := eval[int](b, `document.querySelectorAll('#network-links tr[data-from]').length`)
	drawnNodes, _ := strconv.Atoi(eval[string](b, `document.getElementById('network-cy').dataset.nodes`))
	drawnEdges, _ := strconv.Atoi(eval[string](b, `document.getElementById('network-cy').dataset.edges`))
	if listedNodes < 5 || listedEdges < 5 {
		t.Fatalf("the demonstration's network lists %d nodes and %d links: too few to test the drawing", listedNodes, listedEdges)
	}
	if drawnNodes != listedNodes || drawnEdges != listedEdges {
		t.Errorf("drawn interactively: %d nodes, %d links; listed %d nodes, %d links", drawnNodes, drawnEdges, listedNodes, listedEdges)
	}
	// It is really drawn: a canvas the size of its box, which is shown.
	if w := eval[int](b, `Math.max(0, ...Array.from(document.querySelectorAll('#network-cy canvas'), c => c.width))`); w < 100 {
		t.Errorf("the interactive drawing's widest canvas is %d pixels", w)
	}
	shown := func(id string) bool {
		return eval[bool](b, `(() => { const e = document.getElementById(`+jsString(id)+`); return !!e && e.getClientRects().length > 0 })()`)
	}
	if !shown("network-cy") || shown("network-static") || !shown("network-switch") || !shown("network-links") {
		t.Errorf("with scripts: interactive %v, SVG %v, button %v, links table %v; want true, false, true, true",
			shown("network-cy"), shown("network-static"), shown("network-switch"), shown("network-links"))
	}
	if label := eval[string](b, `document.getElementById('network-cy').getAttribute('aria-label')`); !strings.Contains(label, "the tables beside it list the same") {
		t.Errorf("the interactive drawing is labelled %q", label)
	}

	// The button swaps to the SVG and back.
	b.press("#network-switch")
	if shown("network-cy") || !shown("network-static") || b.text("#network-switch") != "Show the interactive drawing" {
		t.Errorf("after the button: interactive %v, SVG %v, button %q", shown("network-cy"), shown("network-static"), b.text("#network-switch"))
	}
	b.noProblems("the network, the simple drawing")
	b.axe("the network, the simple drawing")
	b.press("#network-switch")
	if !shown("network-cy") || shown("network-static") || b.text("#network-switch") != "Show the simple drawing" {
		t.Errorf("after the button twice: interactive %v, SVG %v, button %q", shown("network-cy"), shown("network-static"), b.text("#network-switch"))
	}
	b.noProblems("the network, swapped twice")

	// Selecting the child at the centre opens the child's record. Where it
	// is drawn is asked of Cytoscape.js itself (its instance is kept on
	// its container), in the window's pixels once the drawing is in view.
	ref := "child:" + strings.TrimPrefix(child, "/children/")
	xy := eval[[]float64](b, `(() => {
  const box = document.getElementById('network-cy');
  const cy = box._cyreg && box._cyreg.cy;
  if (!cy) return [];
  box.scrollIntoView({block: 'center'});
  const p = cy.getElementById(`+jsString(ref)+`).renderedPosition();
  const r = box.getBoundingClientRect();
  return [r.left + p.x, r.top + p.y];
})()`)
	if len(xy) != 2 {
		t.Fatal("no Cytoscape.js instance on #network-cy")
	}
	b.wantStatus("the child, from the drawing", b.follow(chromedp.MouseClickXY(xy[0], xy[1])), 200)
	if b.path() != child {
		t.Errorf("selecting %s in the drawing opened %s", ref, b.path())
	}

	// Without scripts: the SVG and the tables, nothing interactive.
	ns := openTab(t, base, b)
	ns.do(func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return chromedp.Void{}, err
	})
	ns.wantStatus("the network, without scripts", ns.navigate(netPath), 200)
	nsShown := func(id string) bool {
		return eval[bool](ns, `(() => { const e = document.getElementById(`+jsString(id)+`); return !!e && e.getClientRects().length > 0 })()`)
	}
	if nsShown("network-cy") || nsShown("network-switch") || !nsShown("network-drawing") || !nsShown("network-links") {
		t.Errorf("without scripts: interactive %v, button %v, SVG %v, links table %v; want false, false, true, true",
			nsShown("network-cy"), nsShown("network-switch"), nsShown("network-drawing"), nsShown("network-links"))
	}
	if eval[bool](ns, `document.body.classList.contains('js-enabled')`) {
		t.Error("scripts ran in the tab without them")
	}
	svgNodes := eval[int](ns, `document.querySelectorAll('#network-drawing [data-ref]').length`)
	svgEdges := eval[int](ns, `document.querySelectorAll('#network-drawing line[data-from]').length`)
	if svgNodes != listedNodes || svgEdges != listedEdges {
		t.Errorf("without scripts the SVG draws %d nodes and %d links; the tables list %d and %d", svgNodes, svgEdges, listedNodes, listedEdges)
	}
	if n := eval[int](ns, `document.querySelectorAll('table.app-net-nodes tr[data-ref]').length`); n != listedNodes {
		t.Errorf("without scripts the tables list %d nodes, want %d", n, listedNodes)
	}
	// axe is a script itself, so it cannot run here: the same page with the
	// SVG shown was checked above.
	ns.noProblems("the network without scripts")
	ns.screenshot("network-no-script")
}
