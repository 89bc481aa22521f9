package store_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/vault"
)

// openWithKEK opens a fresh store of dialect d whose restricted fields are
// sealed under kek, and its config.
func openWithKEK(t *testing.T, d string, kek *vault.KEK) (*store.Store, store.Config) {
	t.Helper()
	cfg := storetest.Config(t, d)
	cfg.KEK = kek
	return storetest.Replicas(t, cfg, 1)[0], cfg
}

// A canary written into each restricted field and the two-factor secret
// is read back as written, and found in neither the SQLite file, its WAL
// nor a pg_dump; a value altered in the database is an error when read,
// never garbage; without the KEK a sealed value is an error too.
func TestEncryptionAtRest(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			kek, _ := vault.NewKEK()
			s, cfg := openWithKEK(t, d, kek)
			f := storetest.Seed(t, s)
			ctx := context.Background()
			sw := storetest.As(f.SocialWorker)
			canaries := map[string]string{"health": "CanaryHealthQv7", "words": "CanaryWordsQv7", "said": "CanarySaidQv7"}
			c, err := s.CreateChild(sw, lantern.ChildInput{GivenName: "Enid", FamilyName: "Cipher", DateOfBirth: date(t, "2011-02-02"), Gender: "female",
				ChildDetails: lantern.ChildDetails{Disability: canaries["health"]}})
			if err != nil {
				t.Fatal(err)
			}
			k, err := s.CreateConcern(sw, c.ID, lantern.ConcernInput{RaisedAt: s.Now().Add(-time.Hour), Summary: "A disclosure", Disclosure: true,
				DisclosureWords: canaries["words"]})
			if err != nil {
				t.Fatal(err)
			}
			back := s.Now().Add(-2 * time.Hour)
			e, err := s.CreateEpisode(sw, c.ID, lantern.EpisodeInput{Kind: "missing", MissingFrom: s.Now().Add(-30 * time.Hour), ReturnedAt: &back})
			if err != nil {
				t.Fatal(err)
			}
			held := s.Now().Add(-time.Hour)
			if _, err := s.RecordInterview(sw, c.ID, e.ID, lantern.InterviewInput{HeldAt: &held, HeldBy: "Sam", ChildSaid: canaries["said"]}); err != nil {
				t.Fatal(err)
			}
			// An intelligence link's source.
			canaries["source"] = "CanarySourceQv7"
			per, err := s.CreatePerson(sw, &lantern.PersonOfConcern{Aliases: []string{"Dee"}})
			if err != nil {
				t.Fatal(err)
			}
			pl, err := s.CreatePlace(sw, &lantern.Place{Name: "Chicken Shack"})
			if err != nil {
				t.Fatal(err)
			}
			link, err := s.CreateLink(sw, &lantern.Link{From: lantern.EntityRef{Type: lantern.EntityPerson, ID: per.ID},
				To: lantern.EntityRef{Type: lantern.EntityPlace, ID: pl.ID}, Kind: lantern.LinkSeenAt, Source: canaries["source"]})
			if err != nil {
				t.Fatal(err)
			}
			// Two factors: the secret is sealed on the session, then on the user.
			tok, err := s.StartSession(ctx, f.Teacher.ID, store.StageEnrol, "")
			if err != nil {
				t.Fatal(err)
			}
			key, err := s.BeginEnrolment(ctx, tok, f.Teacher)
			if err != nil {
				t.Fatal(err)
			}
			canaries["pending"] = key.Secret()
			sess, err := s.FindSession(ctx, tok)
			if err != nil || sess.PendingSecret != key.Secret() {
				t.Fatalf("the pending secret read back: %v", err)
			}
			code, _ := totp.GenerateCode(key.Secret(), s.Now())
			if _, _, err := s.ConfirmEnrolment(ctx, tok, sess, code); err != nil {
				t.Fatal(err)
			}

			// Read back as written.
			if got, err := s.FindChildByID(sw, c.ID); err != nil || got.Disability != canaries["health"] {
				t.Errorf("health details read back: %+v, %v", got, err)
			}
			if ks, err := s.Concerns(sw, c.ID); err != nil || ks[0].DisclosureWords != canaries["words"] {
				t.Errorf("the words read back: %v", err)
			}
			if es, err := s.Episodes(sw, c.ID); err != nil || es[0].Interview == nil || es[0].Interview.ChildSaid != canaries["said"] {
				t.Errorf("what the child said read back: %v", err)
			}
			force, err := s.CreateAgency(lantern.NewSystemContext(ctx, "test"), lantern.AgencyInput{Name: "Northmoor Police", Kind: lantern.KindPolice})
			if err != nil {
				t.Fatal(err)
			}
			officer := caseUser(t, s, "pc@police.example.org", "Pat Constable", force, lantern.RolePolice)
			if ls, _, err := s.EntityLinks(storetest.As(officer), lantern.EntityRef{Type: lantern.EntityPerson, ID: per.ID}); err != nil || len(ls) != 1 ||
				ls[0].Source != canaries["source"] || ls[0].ID != link.ID {
				t.Errorf("the link's source read back: %+v, %v", ls, err)
			}

			// Not at rest.
			var raw []byte
			if d == "sqlite" {
				for _, name := range []string{store.SQLiteFile, store.SQLiteFile + "-wal"} {
					b, err := os.ReadFile(filepath.Join(cfg.DataDir, name))
					if err != nil && !os.IsNotExist(err) {
						t.Fatal(err)
					}
					raw = append(raw, b...)
				}
				if len(raw) == 0 {
					t.Fatal("read nothing of the database's files")
				}
			} else {
				raw = pgDump(t, cfg.Postgres)
			}
			for what, canary := range canaries {
				if bytes.Contains(raw, []byte(canary)) {
					t.Errorf("%s: the %s canary is in the database's bytes at rest", d, what)
				}
			}
			if !bytes.Contains(raw, []byte("Cipher")) {
				t.Error("the check read the wrong bytes: the child's (unsealed) family name is not in them")
			}

			// Altered: an error, never garbage.
			if _, err := s.DB().Exec(`UPDATE concerns SET disclosure_words = substr(disclosure_words, 1, length(disclosure_words) - 11) ||
				CASE WHEN substr(disclosure_words, length(disclosure_words) - 10, 1) = 'A' THEN 'B' ELSE 'A' END ||
				substr(disclosure_words, length(disclosure_words) - 9) WHERE id = $1`, k.ID); err != nil {
				t.Fatal(err)
			}
			if ks, err := s.Concerns(sw, c.ID); err == nil {
				t.Errorf("an altered value was read: %q", ks[0].DisclosureWords)
			}
			rep, err := s.VerifyKeys(lantern.NewSystemContext(ctx, "test"))
			if err != nil || len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0], "concerns.disclosure_words of "+k.ID) {
				t.Errorf("verify after the alteration: %+v, %v", rep, err)
			}
		})
	}
}

// pgDump is the text of a pg_dump of the test's schema.
func pgDump(t *testing.T, conn string) []byte {
	t.Helper()
	bin := "pg_dump"
	if dir := os.Getenv("LANTERN_PG_BIN"); dir != "" {
		bin = filepath.Join(dir, "pg_dump")
	}
	u, err := url.Parse(conn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	schema := q.Get("search_path")
	q.Del("search_path") // pgx's, not libpq's
	u.RawQuery = q.Encode()
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "--schema="+schema, "--data-only", u.String())
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pg_dump: %v: %s", err, stderr.String())
	}
	return out
}

// Rotating the keys of 100,000 values loses none: values written before
// encryption was on are sealed by the first rotation, sealed again under
// new data keys by the second, and under a new key-encrypting key by the
// third; every one opens to what was written, the old data keys are
// erased, and a store started with the old KEK cannot open them.
func TestRotateKeys(t *testing.T) {
	const n = 100_000
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			kek, _ := vault.NewKEK()
			s, cfg := openWithKEK(t, d, kek)
			f := storetest.Seed(t, s)
			c := caseChild(t, s, f.SocialWorker, "Rota", "Tion", "2012-02-02")
			ctx := lantern.NewSystemContext(context.Background(), "test")
			now := s.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
			words := func(i int) string { return fmt.Sprintf("words of concern %06d", i) }
			for start := 0; start < n; start += 1000 {
				var sb strings.Builder
				sb.WriteString(`INSERT INTO concerns (id, child_id, raised_by, agency_id, raised_at, summary, disclosure, disclosure_words, immediate_risk,
					immediate_action, step, version, created_at, updated_at) VALUES `)
				for i := start; i < start+1000; i++ {
					if i > start {
						sb.WriteString(",")
					}
					fmt.Fprintf(&sb, "('k%06d', '%s', '%s', '%s', '%s', 's', true, '%s', false, '', 'recorded', 1, '%s', '%s')",
						i, c.ID, f.SocialWorker.ID, f.SocialWorker.AgencyID, now, words(i), now, now)
				}
				if _, err := s.DB().Exec(sb.String()); err != nil {
					t.Fatal(err)
				}
			}
			check := func(when string, want int) *store.KeyReport {
				t.Helper()
				rep, err := s.VerifyKeys(ctx)
				if err != nil || len(rep.Failed) > 0 {
					t.Fatalf("%s: verify: %v %v", when, err, rep.Failed)
				}
				total := 0
				for _, m := range rep.Sealed {
					total += m
				}
				if total < want || rep.Plain["concerns.disclosure_words"] != 0 {
					t.Fatalf("%s: %d sealed, %v plain; want %d sealed", when, total, rep.Plain, want)
				}
				rows, err := s.DB().Query(`SELECT id, disclosure_words FROM concerns WHERE id LIKE 'k%' ORDER BY id`)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				i := 0
				for rows.Next() {
					var id, v string
					if err := rows.Scan(&id, &v); err != nil {
						t.Fatal(err)
					}
					got, err := s.OpenValue("concerns", "disclosure_words", id, v)
					if err != nil || got != words(i) || !vault.IsSealed(v) {
						t.Fatalf("%s: row %s opens to %q, %v", when, id, got, err)
					}
					i++
				}
				if i != n {
					t.Fatalf("%s: %d rows, want %d", when, i, n)
				}
				return rep
			}
			start := time.Now()
			rep, err := s.RotateKeys(ctx, nil)
			if err != nil || rep.Moved < n {
				t.Fatalf("first rotation: moved %d, %v", rep.Moved, err)
			}
			check("after sealing", n)
			rep, err = s.RotateKeys(ctx, nil)
			if err != nil || rep.Moved < n {
				t.Fatalf("second rotation: moved %d, %v", rep.Moved, err)
			}
			check("after rotating the data keys", n)
			next, _ := vault.NewKEK()
			if rep, err = s.RotateKeys(ctx, next); err != nil || rep.Moved < n {
				t.Fatalf("rotation to a new KEK: moved %d, %v", rep.Moved, err)
			}
			check("after rotating the KEK", n)
			t.Logf("%s: three rotations of %d values in %s", d, n, time.Since(start).Round(time.Millisecond))
			var live, erased int
			s.DB().QueryRow(`SELECT count(*) FROM data_keys WHERE wrapped <> ''`).Scan(&live)
			s.DB().QueryRow(`SELECT count(*) FROM data_keys WHERE wrapped = ''`).Scan(&erased)
			// Five classes: disclosure, return-account, health, intel-source, two-factor.
			if live != 5 || erased != 15 {
				t.Errorf("data keys: %d live (want one a class, 5), %d erased (want 15)", live, erased)
			}
			// A server started with the old KEK refuses to start.
			cfg.KEK = kek
			old, err := store.Open(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer old.Close()
			if err := old.Migrate(context.Background()); err == nil || !strings.Contains(err.Error(), "not this one") {
				t.Errorf("a store started with the old KEK: %v", err)
			}
		})
	}
}
