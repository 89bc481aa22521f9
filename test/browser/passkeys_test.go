package browser_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestPasskeys, through Chromium's virtual authenticator (user
// verification on): a children's social care social worker, who may break
// the glass, adds a passkey on their account page and signs in with it as
// the second factor; revoking it signs them out everywhere. A teacher's
// account page offers none. WebAuthn needs a domain, so the tab reaches
// the server as localhost.
func TestPasskeys(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	base := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	b := openTab(t, base, nil)
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, webauthn.Enable, webauthn.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{Options: &webauthn.VirtualAuthenticatorOptions{
			Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21, Transport: webauthn.AuthenticatorTransportInternal,
			HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true}})
		return err
	}))
	sw := srv.Fixture.SocialWorker
	b.enrol(sw.Email, storetest.Password)
	b.wantStatus("account", b.navigate("/account"), 200)
	b.fill("passkey_name", "Work laptop")
	b.wantStatus("add a passkey", b.click(`button[data-passkey="register"]`), 200)
	if got := b.text(".govuk-notification-banner"); !strings.Contains(got, "passkey has been added") {
		t.Fatalf("after adding a passkey: %q (%s)", got, b.text("[data-passkey-problem]"))
	}
	if got := b.text("#passkeys + p + table"); !strings.Contains(got, "Work laptop") || !strings.Contains(got, "Not yet") {
		t.Errorf("the passkeys listed: %q", got)
	}
	b.checkPage("the account page with a passkey")

	// Signed out, then in: password, then the passkey.
	b.signOut()
	b.wantStatus("sign-in page", b.navigate("/sign-in"), 200)
	b.fill("email", sw.Email)
	b.fill("password", storetest.Password)
	b.wantStatus("password", b.click(`main form button[type=submit]`), 200)
	b.wantPage("/sign-in/two-factor", "Enter your security code")
	b.checkPage("the second factor with a passkey")
	b.wantStatus("use a passkey", b.click(`button[data-passkey="sign-in"]`), 200)
	if b.path() != "/" {
		t.Fatalf("after the passkey: at %s (%s)", b.path(), b.text("[data-passkey-problem]"))
	}
	var used int
	srv.Store.DB().QueryRow(`SELECT count(*) FROM passkeys WHERE user_id = $1 AND last_used_at IS NOT NULL`, sw.ID).Scan(&used)
	if used != 1 {
		t.Errorf("the passkey's use was not recorded")
	}

	// A second session of theirs, then the passkey revoked: both end.
	other, err := srv.Store.StartSession(context.Background(), sw.ID, "signed-in", "")
	if err != nil || other == "" {
		t.Fatal(err)
	}
	b.wantStatus("account", b.navigate("/account"), 200)
	b.wantStatus("revoke", b.click(`form[action$="/revoke"] button`), 200)
	b.wantPage("/sign-in", "Sign in to Lantern")
	if _, err := srv.Store.FindSession(context.Background(), other); err == nil {
		t.Error("another session survived the passkey's revocation")
	}

	// A teacher is offered none.
	tb := openTab(t, base, nil)
	tb.enrol(srv.Fixture.Teacher.Email, storetest.Password)
	tb.wantStatus("account", tb.navigate("/account"), 200)
	if strings.Contains(tb.text("main"), "Passkeys") {
		t.Error("a teacher's account page offers passkeys")
	}
}
