// The network page's interactive drawing (web/templates/network.html): a
// progressive enhancement of the SVG the server draws. With scripts, this
// draws the same nodes and links with Cytoscape.js (vendor/cytoscape, a
// classic script loaded before this module, defining window.cytoscape), so
// that they can be panned, zoomed and dragged, and a node followed to its
// page; it then hides the SVG and shows a button to swap back. If anything
// here fails, the SVG stays. The tables beside both drawings are always
// there: they are the accessible way through the network, so the drawing is
// not focusable and traps nothing.
//
// The data is the page's <script type="application/json" id="network-data">
// block: nodes placed where the SVG places them, so both drawings agree.
// Nothing here is inline script or eval, as the CSP requires.

const live = document.getElementById('network-live')
const box = document.getElementById('network-cy')
const staticDrawing = document.getElementById('network-static')
const swap = document.getElementById('network-switch')
const source = document.getElementById('network-data')

// Each type is told by its shape and its letter, never by colour alone, as
// in the SVG: a child a large circle, a person a circle, a vehicle a wide
// box, a phone a tall one, a place a diamond, an online account a hexagon.
const looks = {
  child: { shape: 'ellipse', width: 44, height: 44, fill: '#d2e2f1' },
  person: { shape: 'ellipse', width: 30, height: 30, fill: '#f4dbe6' },
  vehicle: { shape: 'rectangle', width: 40, height: 24, fill: '#fff7bf' },
  phone: { shape: 'rectangle', width: 20, height: 34, fill: '#ddebd0' },
  place: { shape: 'diamond', width: 38, height: 38, fill: '#fce4d7' },
  account: { shape: 'hexagon', width: 36, height: 32, fill: '#e6dff0' }
}

// letterImage is a node's letter as an SVG image (a data: URL, which the
// CSP's img-src allows), drawn in the middle of its shape; the node's own
// label is its name, under it.
const letterImage = (letter) => 'data:image/svg+xml,' + encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" viewBox="0 0 20 20">' +
  '<text x="10" y="15" text-anchor="middle" font-family="arial, sans-serif" font-weight="bold" font-size="14" fill="#0b0c0c">' +
  letter.replace(/[^A-Z]/g, '') + '</text></svg>')

// A page of Lantern's own, never anywhere else.
const ownPage = (href) => typeof href === 'string' && href.startsWith('/') && !href.startsWith('//')

function draw (graph) {
  const elements = []
  for (const n of graph.nodes) {
    const look = looks[n.type] || looks.account
    elements.push({
      group: 'nodes',
      data: {
        id: n.id,
        label: n.label + (n.hotspot ? '\nHotspot' : ''),
        href: n.href,
        shape: look.shape,
        width: look.width,
        height: look.height,
        fill: look.fill,
        letter: letterImage(n.letter)
      },
      position: { x: n.x, y: n.y },
      classes: [n.type, n.hub ? 'hub' : '', n.hotspot ? 'hotspot' : '', n.centre ? 'centre' : ''].filter(Boolean)
    })
  }
  for (const e of graph.edges) {
    elements.push({ group: 'edges', data: { source: e.from, target: e.to, kind: e.kind } })
  }
  return window.cytoscape({
    container: box,
    elements,
    layout: { name: 'preset', fit: true, padding: 24 },
    minZoom: 0.2,
    maxZoom: 4,
    boxSelectionEnabled: false,
    style: [
      {
        selector: 'node',
        style: {
          shape: 'data(shape)',
          width: 'data(width)',
          height: 'data(height)',
          'background-color': 'data(fill)',
          'background-image': 'data(letter)',
          'background-width': 20,
          'background-height': 20,
          'border-width': 2,
          'border-color': '#0b0c0c',
          label: 'data(label)',
          'text-wrap': 'wrap',
          'text-valign': 'bottom',
          'text-margin-y': 4,
          'font-family': 'arial, sans-serif',
          'font-size': 12,
          color: '#0b0c0c',
          'text-outline-color': '#ffffff',
          'text-outline-width': 2,
          'min-zoomed-font-size': 8
        }
      },
      { selector: 'node.centre', style: { 'border-width': 4, 'border-color': '#1d70b8', 'font-weight': 'bold' } },
      // Not followed (too many links): dashed, as in the SVG.
      { selector: 'node.hub', style: { 'border-style': 'dashed' } },
      // A hotspot: a double outline, and the word under its name.
      { selector: 'node.hotspot', style: { 'border-style': 'double', 'border-width': 6 } },
      { selector: 'node.hub.hotspot', style: { 'border-style': 'dashed', 'border-width': 4 } },
      { selector: 'node:selected', style: { 'overlay-color': '#ffdd00', 'overlay-opacity': 0.5, 'overlay-padding': 4 } },
      {
        selector: 'edge',
        style: {
          width: 1.5,
          'line-color': '#505a5f',
          'curve-style': 'bezier',
          label: 'data(kind)',
          'font-family': 'arial, sans-serif',
          'font-size': 9,
          color: '#0b0c0c',
          'text-rotation': 'autorotate',
          'text-background-color': '#ffffff',
          'text-background-opacity': 1,
          'min-zoomed-font-size': 11
        }
      }
    ]
  })
}

function show (interactive) {
  live.hidden = !interactive
  staticDrawing.hidden = interactive
  swap.textContent = interactive ? 'Show the simple drawing' : 'Show the interactive drawing'
}

if (live && box && staticDrawing && swap && source && typeof window.cytoscape === 'function') {
  // Cytoscape.js adds a <style> element giving its container
  // position: relative, unless an element with this id is already there.
  // The CSP (style-src 'self') forbids inline styles, so app.css has that
  // rule (.app-network-cy) and this element stands in for the <style>.
  if (!document.getElementById('__________cytoscape_stylesheet')) {
    const stand = document.createElement('meta')
    stand.id = '__________cytoscape_stylesheet'
    stand.name = 'cytoscape-stylesheet'
    stand.content = 'app.css'
    document.head.append(stand)
  }
  try {
    const graph = JSON.parse(source.textContent)
    // Cytoscape.js measures its box: the page is laid out as it will be
    // first.
    show(true)
    swap.hidden = false
    const cy = draw(graph)
    cy.on('tap', 'node', (e) => {
      const href = e.target.data('href')
      if (ownPage(href)) {
        window.location.assign(href)
      }
    })
    // Cytoscape.js keeps where its box is on the screen, and forgets it
    // only when the box is resized or scrolled. The page can move it
    // without either (the filter opened above it, the button shown), and
    // then a press, hover or zoom would land beside what is under the
    // pointer: so it is measured again as the pointer comes in and as each
    // press starts (pointer events come before mouse and touch events).
    for (const type of ['pointerenter', 'pointerdown']) {
      box.addEventListener(type, () => cy.resize(), true)
    }
    cy.on('mouseover', 'node', () => box.classList.add('app-network-cy--over'))
    cy.on('mouseout', 'node', () => box.classList.remove('app-network-cy--over'))
    // What was drawn, for the browser tests to compare with the tables.
    box.dataset.nodes = String(cy.nodes().length)
    box.dataset.edges = String(cy.edges().length)
    swap.addEventListener('click', () => {
      show(live.hidden)
      if (!live.hidden) {
        cy.resize()
        cy.fit(undefined, 24)
      }
    })
  } catch (err) {
    // The SVG is still there; say why in the console for whoever looks.
    show(false)
    swap.hidden = true
    console.warn('network.js: the interactive drawing failed; the SVG stays', err)
  }
}
