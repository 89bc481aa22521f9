// Lantern front-end entry point. Load with:
//   <script type="module" src="{{ assetPath "app.js" }}"></script>
// at the end of <body>. Module scripts are deferred and never run in browsers
// without ES module support, which is exactly GOV.UK Frontend's support test.
//
// The Content-Security-Policy is script-src 'self', so the inline snippet from
// GOV.UK's template (which adds js-enabled/govuk-frontend-supported to <body>)
// is not allowed; it is done here instead. Every page must work without this
// script (progressive enhancement).
//
// The relative import specifiers below are rewritten by lantern/web/assets at
// startup to content-hashed URLs, so they stay cacheable forever.
import { initAll as initGovUKFrontend } from './vendor/govuk-frontend/govuk-frontend.min.js'
import { initAll as initMoJFrontend } from './vendor/moj-frontend/moj-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')

initGovUKFrontend()
initMoJFrontend()

// After "Check the suggested level" the page's address ends #result: move
// focus to the result (it has tabindex=-1), so that a screen reader reads it
// and the keyboard goes on from it. Without this script the browser still
// scrolls to it, and it is first on the page.
const result = location.hash === '#result' ? document.getElementById('result') : null
if (result) {
  result.focus()
}

// The idle timeout (docs/sessions.md): two minutes before the session ends,
// a dialog says so and offers more time (POST /session/extend). Without
// script, every page says when the session ends and has its own button.
// The seconds left are read from the page at each tick.
const expiry = document.getElementById('session-expiry')
const dialog = document.getElementById('timeout-warning')
if (expiry && dialog && typeof dialog.showModal === 'function') {
  const warnAt = 120
  const full = Number(expiry.dataset.seconds)
  let since = Date.now()
  const countdown = document.getElementById('timeout-countdown')
  const title = document.getElementById('timeout-title')
  const words = (n, one) => n + ' ' + one + (n === 1 ? '' : 's')
  const tick = () => {
    const left = Math.ceil(Number(expiry.dataset.seconds) - (Date.now() - since) / 1000)
    if (left <= warnAt && left > 0 && !dialog.open) {
      dialog.showModal()
    }
    if (!dialog.open) {
      return
    }
    if (left <= 0) {
      title.textContent = 'You have been signed out'
      countdown.textContent = 'no time'
      return
    }
    const m = Math.floor(left / 60)
    const s = left % 60
    countdown.textContent = m > 0 ? words(m, 'minute') + (s ? ' ' + words(s, 'second') : '') : words(s, 'second')
  }
  setInterval(tick, 1000)
  document.getElementById('timeout-extend').addEventListener('click', async () => {
    const r = await fetch('/session/extend', { method: 'POST', headers: { Accept: 'application/json' }, credentials: 'same-origin' })
    if (!r.ok) {
      window.location.assign('/sign-in')
      return
    }
    since = Date.now()
    expiry.dataset.seconds = String(full)
    const ends = new Date(since + full * 1000)
    const time = document.getElementById('session-expiry-time')
    time.setAttribute('datetime', ends.toISOString())
    time.textContent = ends.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })
    dialog.close()
  })
}
