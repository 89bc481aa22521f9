// Passkeys (docs/sessions.md#passkeys): the two WebAuthn ceremonies, on the
// account page (register) and the second-factor page (sign in). Without
// this script, or WebAuthn, the buttons stay hidden and the authenticator
// app's codes are used instead.
const supported = window.PublicKeyCredential && PublicKeyCredential.parseCreationOptionsFromJSON;

async function post(url, body) {
  const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body || '{}', credentials: 'same-origin' });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) { throw new Error(data.detail || 'The passkey did not work'); }
  return data;
}

function say(el, text) {
  if (el) { el.textContent = text; el.hidden = false; }
}

async function register(button) {
  const form = button.closest('[data-passkey-form]');
  const name = form.querySelector('input[name="passkey_name"]').value;
  const problem = form.querySelector('[data-passkey-problem]');
  try {
    const options = await post('/account/passkeys/options');
    const cred = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey) });
    await post('/account/passkeys?name=' + encodeURIComponent(name), JSON.stringify(cred.toJSON()));
    window.location.assign('/account?done=passkey-added');
  } catch (e) {
    say(problem, e.message);
  }
}

async function signIn(button) {
  const problem = document.querySelector('[data-passkey-problem]');
  try {
    const options = await post('/sign-in/passkey/options');
    const cred = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey) });
    const done = await post('/sign-in/passkey', JSON.stringify(cred.toJSON()));
    window.location.assign(done.redirect || '/');
  } catch (e) {
    say(problem, e.message);
  }
}

if (supported) {
  for (const el of document.querySelectorAll('[data-passkey-form]')) { el.hidden = false; }
  for (const b of document.querySelectorAll('button[data-passkey="register"]')) { b.addEventListener('click', () => register(b)); }
  for (const b of document.querySelectorAll('button[data-passkey="sign-in"]')) { b.addEventListener('click', () => signIn(b)); }
}
