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
