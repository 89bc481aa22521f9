package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"lantern"
	"lantern/match"
	"lantern/store"
	"lantern/store/storetest"
)

func newChild(t *testing.T, s *store.Store, u *lantern.User, given, family string) *lantern.Child {
	t.Helper()
	c, err := s.CreateChild(storetest.As(u), lantern.ChildInput{GivenName: given, FamilyName: family,
		DateOfBirth: lantern.Date{Year: 2011, Month: 4, Day: 9}, Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func fieldsOf(err error) []string {
	var fs []string
	for _, fe := range lantern.ErrorFields(err) {
		fs = append(fs, fe.Field)
	}
	slices.Sort(fs)
	return fs
}

func auditActions(t *testing.T, s *store.Store, f *storetest.Fixture, childID string) map[string]int {
	t.Helper()
	es, _, err := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{ChildID: childID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range es {
		actions[e.Action]++
	}
	return actions
}

func TestChildListsAddAndRemove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		ctx := storetest.As(f.Teacher)
		c := newChild(t, s, f.Teacher, "Jayden", "Lists")

		// Other names, with the phonetic key kept for matching.
		n, err := s.AddOtherName(ctx, c.ID, lantern.OtherNameInput{Name: "  Jaiden ", Kind: "street-name"})
		if err != nil {
			t.Fatal(err)
		}
		if n.Name != "Jaiden" || n.Kind != "street-name" || n.KindLabel() != "Street name" {
			t.Errorf("name = %+v", n)
		}
		var key string
		if err := s.DB().QueryRow(`SELECT name_key FROM child_names WHERE id = $1`, n.ID).Scan(&key); err != nil {
			t.Fatal(err)
		}
		if key != match.NameKey("Jaiden") || key == "" {
			t.Errorf("name_key = %q, want %q", key, match.NameKey("Jaiden"))
		}
		n2, err := s.AddOtherName(ctx, c.ID, lantern.OtherNameInput{Name: "JJ", Kind: "nickname"})
		if err != nil {
			t.Fatal(err)
		}

		// Addresses: current first, then the newest.
		old, err := s.AddAddress(ctx, c.ID, lantern.AddressInput{Address: "1 Old Road\nNorthmoor", Postcode: "nm1 1aa",
			From: date(t, "2015-01-01"), To: date(t, "2019-12-31")})
		if err != nil {
			t.Fatal(err)
		}
		if old.Postcode != "NM1 1AA" || old.Current {
			t.Errorf("old address = %+v", old)
		}
		cur, err := s.AddAddress(ctx, c.ID, lantern.AddressInput{Address: "2 New Street", Postcode: "SW1A1AA", From: date(t, "2022-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		mid, err := s.AddAddress(ctx, c.ID, lantern.AddressInput{Address: "3 Middle Way", From: date(t, "2020-01-01"), To: date(t, "2021-12-31")})
		if err != nil {
			t.Fatal(err)
		}
		if cur.Postcode != "SW1A 1AA" || !cur.Current {
			t.Errorf("current address = %+v", cur)
		}

		sch, err := s.AddSchool(ctx, c.ID, lantern.SchoolInput{School: "Riverside Academy", From: date(t, "2022-09-01")})
		if err != nil {
			t.Fatal(err)
		}
		prof, err := s.AddProfessional(ctx, c.ID, lantern.ProfessionalInput{AgencyID: f.School.ID, Name: "Dee Signated",
			Role: "School designated safeguarding lead", Email: " DSL@Riverside.example.org ", Phone: "01632 960 001"})
		if err != nil {
			t.Fatal(err)
		}
		if prof.Email != "dsl@riverside.example.org" || prof.AgencyName != f.School.Name {
			t.Errorf("professional = %+v", prof)
		}
		fam, err := s.AddFamilyMember(ctx, c.ID, lantern.FamilyMemberInput{Name: "Pat Lists", Relationship: "mother",
			ParentalResponsibility: true, LivesWith: true, Notes: "Works nights"})
		if err != nil {
			t.Fatal(err)
		}

		l, err := s.ChildLists(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Names) != 2 || l.Names[0].ID != n.ID || l.Names[1].ID != n2.ID {
			t.Errorf("names = %+v", l.Names)
		}
		var order []string
		for _, a := range l.Addresses {
			order = append(order, a.ID)
		}
		if want := []string{cur.ID, mid.ID, old.ID}; !slices.Equal(order, want) {
			t.Errorf("address order = %v, want %v", order, want)
		}
		if l.Addresses[2].From != date(t, "2015-01-01") || l.Addresses[2].To != date(t, "2019-12-31") || l.Addresses[2].Address != "1 Old Road\nNorthmoor" {
			t.Errorf("address read back = %+v", l.Addresses[2])
		}
		if len(l.Schools) != 1 || l.Schools[0].ID != sch.ID || !l.Schools[0].Current || !l.Schools[0].To.IsZero() {
			t.Errorf("schools = %+v", l.Schools)
		}
		if len(l.Professionals) != 1 || *l.Professionals[0] != *prof {
			t.Errorf("professionals = %+v, want %+v", l.Professionals, prof)
		}
		if len(l.Family) != 1 || *l.Family[0] != *fam || l.Family[0].RelationshipLabel() != "Mother" {
			t.Errorf("family = %+v", l.Family)
		}
		if l.Siblings == nil || len(l.Siblings) != 0 {
			t.Errorf("siblings = %v, want an empty list", l.Siblings)
		}

		// Each list on its own, as the API reads them.
		if ns, err := s.OtherNames(ctx, c.ID); err != nil || len(ns) != 2 {
			t.Errorf("OtherNames: %d %v", len(ns), err)
		}
		if as, err := s.Addresses(ctx, c.ID); err != nil || len(as) != 3 {
			t.Errorf("Addresses: %d %v", len(as), err)
		}

		// Removing.
		for _, rm := range []struct {
			name string
			fn   func() error
		}{
			{"name", func() error { return s.RemoveOtherName(ctx, c.ID, n.ID) }},
			{"address", func() error { return s.RemoveAddress(ctx, c.ID, old.ID) }},
			{"school", func() error { return s.RemoveSchool(ctx, c.ID, sch.ID) }},
			{"professional", func() error { return s.RemoveProfessional(ctx, c.ID, prof.ID) }},
			{"family", func() error { return s.RemoveFamilyMember(ctx, c.ID, fam.ID) }},
		} {
			if err := rm.fn(); err != nil {
				t.Errorf("remove %s: %v", rm.name, err)
			}
			// Twice is not found.
			if err := rm.fn(); lantern.ErrorCode(err) != lantern.ENOTFOUND {
				t.Errorf("remove %s again: %v", rm.name, err)
			}
		}
		l, err = s.ChildLists(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Names) != 1 || len(l.Addresses) != 2 || len(l.Schools) != 0 || len(l.Professionals) != 0 || len(l.Family) != 0 {
			t.Errorf("after removing: %+v", l)
		}
		// The agency stays involved after its professional is removed.
		got, _ := s.FindChildByID(ctx, c.ID)
		if !slices.Contains(got.AgencyIDs, f.School.ID) {
			t.Errorf("agencies = %v", got.AgencyIDs)
		}

		actions := auditActions(t, s, f, c.ID)
		for action, want := range map[string]int{
			"child.alias.add": 2, "child.alias.remove": 1, "child.address.add": 3, "child.address.remove": 1,
			"child.school.add": 1, "child.school.remove": 1, "child.professional.add": 1, "child.professional.remove": 1,
			"child.family.add": 1, "child.family.remove": 1, "child.lists.read": 2, "child.alias.list": 1, "child.address.list": 1,
		} {
			if actions[action] != want {
				t.Errorf("audit %s = %d, want %d (all: %v)", action, actions[action], want, actions)
			}
		}
		// Names never reach the trail.
		es, _, _ := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{ChildID: c.ID, Limit: 500})
		for _, e := range es {
			for _, secret := range []string{"Jaiden", "Old Road", "Dee", "Pat", "Riverside"} {
				if strings.Contains(e.Detail, secret) {
					t.Errorf("audit entry %s holds %q: %q", e.Action, secret, e.Detail)
				}
			}
		}
		if _, err := s.VerifyAudit(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestChildListsValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		ctx := storetest.As(f.Teacher)
		c := newChild(t, s, f.Teacher, "Val", "Idation")
		today := lantern.Today(clock.Now())
		tomorrow := lantern.DateOf(today.Time().AddDate(0, 0, 1))
		long := strings.Repeat("x", 501)
		for _, tt := range []struct {
			name string
			fn   func() error
			want []string
		}{
			{"empty name", func() error { _, err := s.AddOtherName(ctx, c.ID, lantern.OtherNameInput{Kind: "alias"}); return err }, []string{"name"}},
			{"bad kind", func() error {
				_, err := s.AddOtherName(ctx, c.ID, lantern.OtherNameInput{Name: "X", Kind: "surname"})
				return err
			}, []string{"kind"}},
			{"control character", func() error {
				_, err := s.AddOtherName(ctx, c.ID, lantern.OtherNameInput{Name: "a\x07b", Kind: "alias"})
				return err
			}, []string{"name"}},
			{"empty address", func() error { _, err := s.AddAddress(ctx, c.ID, lantern.AddressInput{}); return err }, []string{"address", "from_date"}},
			{"long address, bad postcode", func() error {
				_, err := s.AddAddress(ctx, c.ID, lantern.AddressInput{Address: long, Postcode: "12345", From: today})
				return err
			}, []string{"address", "postcode"}},
			{"future dates", func() error {
				_, err := s.AddAddress(ctx, c.ID, lantern.AddressInput{Address: "A", From: tomorrow, To: tomorrow})
				return err
			}, []string{"from_date", "to_date"}},
			{"end before start", func() error {
				_, err := s.AddSchool(ctx, c.ID, lantern.SchoolInput{School: "S", From: date(t, "2020-01-02"), To: date(t, "2020-01-01")})
				return err
			}, []string{"to_date"}},
			{"no school", func() error { _, err := s.AddSchool(ctx, c.ID, lantern.SchoolInput{From: today}); return err }, []string{"school"}},
			{"unknown agency, bad email and phone", func() error {
				_, err := s.AddProfessional(ctx, c.ID, lantern.ProfessionalInput{AgencyID: "nope", Name: "N", Email: "not-an-email", Phone: "call me"})
				return err
			}, []string{"agency_id", "email", "phone"}},
			{"no agency, no name", func() error { _, err := s.AddProfessional(ctx, c.ID, lantern.ProfessionalInput{}); return err }, []string{"agency_id", "name"}},
			{"bad relationship", func() error {
				_, err := s.AddFamilyMember(ctx, c.ID, lantern.FamilyMemberInput{Name: "P", Relationship: "uncle"})
				return err
			}, []string{"relationship"}},
			{"no sibling", func() error { _, err := s.LinkSibling(ctx, c.ID, ""); return err }, []string{"sibling_id"}},
			{"self as sibling", func() error { _, err := s.LinkSibling(ctx, c.ID, c.ID); return err }, []string{"sibling_id"}},
			{"no such sibling", func() error { _, err := s.LinkSibling(ctx, c.ID, "0190f0f0-0000-7000-8000-000000000000"); return err }, []string{"sibling_id"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				err := tt.fn()
				wantCode(t, err, lantern.EINVALID)
				if got := fieldsOf(err); !slices.Equal(got, tt.want) {
					t.Errorf("fields = %v, want %v", got, tt.want)
				}
			})
		}
		// A postcode given any which way is kept in Royal Mail's form.
		for in, want := range map[string]string{"sw1a 1aa": "SW1A 1AA", " M1 1AE ": "M1 1AE", "b338th": "B33 8TH", "cr2  6xh": "CR2 6XH", "gir0aa": "GIR 0AA"} {
			if got, ok := lantern.NormalisePostcode(in); !ok || got != want {
				t.Errorf("NormalisePostcode(%q) = %q, %v; want %q", in, got, ok, want)
			}
		}
		for _, bad := range []string{"SW1A", "1AA SW1", "SW1A 1A", "ZZZZ 999", "SW1A-1AA"} {
			if _, ok := lantern.NormalisePostcode(bad); ok {
				t.Errorf("NormalisePostcode(%q) accepted", bad)
			}
		}
		l, err := s.ChildLists(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Names)+len(l.Addresses)+len(l.Schools)+len(l.Professionals)+len(l.Family)+len(l.Siblings) != 0 {
			t.Errorf("refused input was stored: %+v", l)
		}
	})
}

func TestChildListsAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		c := newChild(t, s, f.Teacher, "Acc", "Ess")
		ctx := storetest.As(f.Teacher)
		n, err := s.AddOtherName(ctx, c.ID, lantern.OtherNameInput{Name: "Ace", Kind: "nickname"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.AddAddress(ctx, c.ID, lantern.AddressInput{Address: "1 Road", From: date(t, "2020-01-01")})
		if err != nil {
			t.Fatal(err)
		}

		// Another school's teacher sees nothing and changes nothing: not found.
		other := storetest.As(f.OtherTeacher)
		for name, fn := range map[string]func() error{
			"lists":    func() error { _, err := s.ChildLists(other, c.ID); return err },
			"names":    func() error { _, err := s.OtherNames(other, c.ID); return err },
			"siblings": func() error { _, err := s.Siblings(other, c.ID); return err },
			"add name": func() error {
				_, err := s.AddOtherName(other, c.ID, lantern.OtherNameInput{Name: "X", Kind: "alias"})
				return err
			},
			"bad input": func() error { _, err := s.AddOtherName(other, c.ID, lantern.OtherNameInput{}); return err },
			"remove":    func() error { return s.RemoveOtherName(other, c.ID, n.ID) },
			"add professional": func() error {
				_, err := s.AddProfessional(other, c.ID, lantern.ProfessionalInput{AgencyID: f.Other.ID, Name: "Sneaky"})
				return err
			},
			"link": func() error { _, err := s.LinkSibling(other, c.ID, c.ID); return err },
		} {
			if err := fn(); lantern.ErrorCode(err) != lantern.ENOTFOUND {
				t.Errorf("%s as another school: %v, want not found", name, err)
			}
		}
		if _, err := s.FindChildByID(other, c.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Fatalf("the other school was let in: %v", err)
		}

		// An item of another child is not found through this one.
		c2 := newChild(t, s, f.Teacher, "Two", "Ess")
		wantCode(t, s.RemoveOtherName(ctx, c2.ID, n.ID), lantern.ENOTFOUND)
		wantCode(t, s.RemoveAddress(ctx, c2.ID, a.ID), lantern.ENOTFOUND)
		wantCode(t, s.RemoveAddress(ctx, c.ID, n.ID), lantern.ENOTFOUND) // a name's id is no address
		if l, _ := s.ChildLists(ctx, c.ID); len(l.Names) != 1 || len(l.Addresses) != 1 {
			t.Errorf("a removal through another child took effect: %+v", l)
		}

		// Someone who may see but not change children's records.
		analyst, err := s.CreateUser(lantern.NewSystemContext(context.Background(), "test"), lantern.UserInput{Email: "analyst@riverside.example.org",
			Name: "Ann Alyst", AgencyID: f.CSC.ID, Roles: []lantern.Role{lantern.RoleAnalyst}, Password: storetest.Password})
		if err != nil {
			t.Fatal(err)
		}
		actx := storetest.As(analyst)
		if _, err := s.ChildLists(actx, c.ID); err != nil {
			t.Errorf("the analyst cannot read: %v", err)
		}
		_, err = s.AddOtherName(actx, c.ID, lantern.OtherNameInput{Name: "X", Kind: "alias"})
		wantCode(t, err, lantern.EFORBIDDEN)
		wantCode(t, s.RemoveOtherName(actx, c.ID, n.ID), lantern.EFORBIDDEN)

		// A merged record is read-only.
		if _, err := s.DB().Exec(`UPDATE children SET merged_into = $1 WHERE id = $2`, c2.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.AddOtherName(ctx, c.ID, lantern.OtherNameInput{Name: "X", Kind: "alias"})
		wantCode(t, err, lantern.ECONFLICT)
		wantCode(t, s.RemoveOtherName(ctx, c.ID, n.ID), lantern.ECONFLICT)
	})
}

func TestProfessionalInvolvesAgency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		c := newChild(t, s, f.Teacher, "Inv", "Olved")
		other := storetest.As(f.OtherTeacher)
		if _, err := s.FindChildByID(other, c.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Fatalf("before: %v", err)
		}
		p, err := s.AddProfessional(storetest.As(f.Teacher), c.ID, lantern.ProfessionalInput{AgencyID: f.Other.ID, Name: "Hil Head", Role: "Head teacher"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.FindChildByID(other, c.ID)
		if err != nil {
			t.Fatalf("after adding a professional of the other school, it cannot see the child: %v", err)
		}
		if !slices.Contains(got.AgencyIDs, f.Other.ID) {
			t.Errorf("agencies = %v", got.AgencyIDs)
		}
		l, err := s.ChildLists(other, c.ID)
		if err != nil || len(l.Professionals) != 1 || l.Professionals[0].ID != p.ID || l.Professionals[0].AgencyName != f.Other.Name {
			t.Fatalf("lists as the other school: %+v %v", l, err)
		}
		// Adding a second professional of an agency already involved is fine.
		if _, err := s.AddProfessional(other, c.ID, lantern.ProfessionalInput{AgencyID: f.Other.ID, Name: "Second"}); err != nil {
			t.Fatal(err)
		}
		vs, err := s.Involvements(storetest.As(f.Teacher), c.ID)
		if err != nil || len(vs) != 3 {
			t.Fatalf("involvements %+v, %v: want the school's record and two professionals", vs, err)
		}
		// Both professionals removed, the other school no longer sees the
		// child; the school that made the record still does.
		l, _ = s.ChildLists(storetest.As(f.Teacher), c.ID)
		for _, pr := range l.Professionals {
			if err := s.RemoveProfessional(storetest.As(f.Teacher), c.ID, pr.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.FindChildByID(other, c.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("the other school after its professionals were removed: %v", err)
		}
		if _, err := s.FindChildByID(storetest.As(f.Teacher), c.ID); err != nil {
			t.Errorf("the school that made the record: %v", err)
		}
	})
}

func siblingIDs(cs []*lantern.Child) []string {
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	return ids
}

func sorted(ids ...string) []string { slices.Sort(ids); return ids }

func TestSiblings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		teacher, sw, otherT := storetest.As(f.Teacher), storetest.As(f.SocialWorker), storetest.As(f.OtherTeacher)
		a := newChild(t, s, f.Teacher, "Amy", "Sib")
		b := newChild(t, s, f.Teacher, "Ben", "Sib")
		hidden := newChild(t, s, f.OtherTeacher, "Hidden", "Sib") // the teacher's school may not see this one

		got, err := s.LinkSibling(teacher, a.ID, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != b.ID {
			t.Errorf("linked %+v", got)
		}
		// Symmetric.
		for _, tt := range []struct{ of, want string }{{a.ID, b.ID}, {b.ID, a.ID}} {
			cs, err := s.Siblings(teacher, tt.of)
			if err != nil || !slices.Equal(siblingIDs(cs), []string{tt.want}) {
				t.Errorf("siblings of %s = %v, %v; want %s", tt.of, siblingIDs(cs), err, tt.want)
			}
		}
		// Duplicates, either way round, are refused.
		_, err = s.LinkSibling(teacher, a.ID, b.ID)
		wantCode(t, err, lantern.ECONFLICT)
		_, err = s.LinkSibling(teacher, b.ID, a.ID)
		wantCode(t, err, lantern.ECONFLICT)

		// A child the caller may not see cannot be linked, and the answer is
		// the same as for no child at all.
		_, err = s.LinkSibling(teacher, a.ID, hidden.ID)
		wantCode(t, err, lantern.EINVALID)
		_, none := s.LinkSibling(teacher, a.ID, "0190f0f0-0000-7000-8000-000000000000")
		if lantern.ErrorMessage(err) != lantern.ErrorMessage(none) {
			t.Errorf("a hidden child (%q) is told apart from none (%q)", lantern.ErrorMessage(err), lantern.ErrorMessage(none))
		}

		// Social care sees every child and links the hidden one.
		if _, err := s.LinkSibling(sw, hidden.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if cs, err := s.Siblings(sw, a.ID); err != nil || !slices.Equal(siblingIDs(cs), sorted(b.ID, hidden.ID)) {
			t.Errorf("social care's siblings of a = %v, %v", siblingIDs(cs), err)
		}
		// The teacher is never shown it.
		if cs, err := s.Siblings(teacher, a.ID); err != nil || !slices.Equal(siblingIDs(cs), []string{b.ID}) {
			t.Errorf("teacher's siblings of a = %v, %v: the hidden sibling leaked", siblingIDs(cs), err)
		}
		l, err := s.ChildLists(teacher, a.ID)
		if err != nil || !slices.Equal(siblingIDs(l.Siblings), []string{b.ID}) {
			t.Errorf("teacher's lists of a: siblings %v, %v", siblingIDs(l.Siblings), err)
		}
		if len(l.Siblings) == 1 && (len(l.Siblings[0].AgencyIDs) != 1 || l.Siblings[0].GivenName != "Ben") {
			t.Errorf("sibling = %+v", l.Siblings[0])
		}
		// Showing Ben on Amy's page is a read of Ben's record too: his trail
		// has it; the hidden sibling's has no read by the teacher.
		if n := auditActions(t, s, f, b.ID)["child.lists.read"]; n != 1 {
			t.Errorf("%d child.lists.read entries for the sibling shown, want 1", n)
		}
		if n := auditActions(t, s, f, hidden.ID)["child.lists.read"]; n != 0 {
			t.Errorf("%d child.lists.read entries for the sibling not shown, want 0", n)
		}
		// The other school sees the hidden child, and a as its sibling only
		// once it may see a.
		if cs, err := s.Siblings(otherT, hidden.ID); err != nil || len(cs) != 0 {
			t.Errorf("other school's siblings of hidden = %v, %v", siblingIDs(cs), err)
		}
		// Nor can the teacher unlink what it cannot see; the link stays.
		wantCode(t, s.UnlinkSibling(teacher, a.ID, hidden.ID), lantern.ENOTFOUND)
		if cs, _ := s.Siblings(sw, hidden.ID); !slices.Equal(siblingIDs(cs), []string{a.ID}) {
			t.Errorf("the hidden link was changed: %v", siblingIDs(cs))
		}

		// Merged records cannot be linked.
		m := newChild(t, s, f.Teacher, "Merged", "Sib")
		if _, err := s.DB().Exec(`UPDATE children SET merged_into = $1 WHERE id = $2`, b.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.LinkSibling(teacher, a.ID, m.ID)
		wantCode(t, err, lantern.EINVALID)
		_, err = s.LinkSibling(teacher, m.ID, a.ID)
		wantCode(t, err, lantern.ECONFLICT)

		// Unlinking removes both ways.
		if err := s.UnlinkSibling(teacher, b.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		for _, of := range []string{a.ID, b.ID} {
			if cs, _ := s.Siblings(teacher, of); len(cs) != 0 {
				t.Errorf("after unlinking, siblings of %s = %v", of, siblingIDs(cs))
			}
		}
		wantCode(t, s.UnlinkSibling(teacher, a.ID, b.ID), lantern.ENOTFOUND)

		actions := auditActions(t, s, f, b.ID)
		if actions["child.sibling.add"] != 1 || actions["child.sibling.remove"] != 1 {
			t.Errorf("b's audit: %v", actions)
		}
		// The siblings shown are named, by id, in the read's entry.
		es, _, _ := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{ChildID: a.ID, Action: "child.sibling.list", Limit: 50})
		found := false
		for _, e := range es {
			found = found || (e.UserID == f.SocialWorker.ID && strings.Contains(e.Detail, hidden.ID))
			if e.UserID == f.Teacher.ID && strings.Contains(e.Detail, hidden.ID) {
				t.Errorf("the teacher's read records the hidden sibling: %q", e.Detail)
			}
		}
		if !found {
			t.Errorf("social care's read does not name the siblings shown")
		}
	})
}

// Two people linking the same pair of children at once, from either end:
// one link is made and the other is told it exists; neither deadlocks.
func TestLinkSiblingsFromBothEndsAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw := storetest.As(f.SocialWorker)
		for i := range 10 {
			a := newChild(t, s, f.SocialWorker, "A", fmt.Sprint("Pair", i))
			b := newChild(t, s, f.SocialWorker, "B", fmt.Sprint("Pair", i))
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for j, ids := range [][2]string{{a.ID, b.ID}, {b.ID, a.ID}} {
				wg.Go(func() { _, errs[j] = s.LinkSibling(sw, ids[0], ids[1]) })
			}
			wg.Wait()
			ok, conflict := 0, 0
			for _, err := range errs {
				switch lantern.ErrorCode(err) {
				case "":
					ok++
				case lantern.ECONFLICT:
					conflict++
				default:
					t.Errorf("pair %d: %v", i, err)
				}
			}
			if ok != 1 || conflict != 1 {
				t.Errorf("pair %d: %d linked, %d told it exists (%v)", i, ok, conflict, errs)
			}
		}
	})
}
