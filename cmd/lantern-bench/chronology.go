package main

// The chronology scenario: GET /api/v1/children/{id}/chronology for a child
// with 2,000 events on the record, and, in the same run, for one with 20
// (the comparison), through the whole server. The load comes from a
// separate process (this program again, with -drive), so that the client's
// CPU and garbage are not counted against the server's, and each target
// runs alternately for every round.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"lantern"
	"lantern/app"
	"lantern/store"
)

// driven is what the load process reports.
type driven struct {
	OK, Errors int64
	Elapsed    time.Duration
	P50, P95   time.Duration
	P99, Max   time.Duration
	FirstErr   string
}

// drive is the load process: it loads one URL and prints the result.
func drive(o options) error {
	r, err := load("drive", o.drive, o.token, o, "", "", nil)
	if err != nil {
		return err
	}
	d := driven{OK: r.ok, Errors: r.errors, Elapsed: r.elapsed, P50: r.percentile(0.50), P95: r.percentile(0.95),
		P99: r.percentile(0.99), Max: r.percentile(1)}
	if r.firstErr != nil {
		d.FirstErr = r.firstErr.Error()
	}
	return json.NewEncoder(os.Stdout).Encode(d)
}

// startWithWorker starts Lantern and makes a social worker with a token,
// for the scenarios whose load comes from another process.
func startWithWorker(o options) (m *app.Main, stop func(), as context.Context, token string, err error) {
	ctx := context.Background()
	if m, stop, err = startApp(ctx, o); err != nil {
		return nil, nil, nil, "", err
	}
	if as, token, err = chronSeedUser(ctx, m.Store); err != nil {
		stop()
		return nil, nil, nil, "", err
	}
	return m, stop, as, token, nil
}

func runChronology(o options) error {
	seeded := time.Now()
	m, stop, as, token, err := startWithWorker(o)
	if err != nil {
		return err
	}
	defer stop()
	targets := []struct {
		name   string
		events int
		url    string
	}{{name: "chronology-20", events: 20}, {name: "chronology-2000", events: 2000}}
	for i := range targets {
		id, n, err := chronSeedChild(as, m.Store, targets[i].events)
		if err != nil {
			return fmt.Errorf("seed %d events: %w", targets[i].events, err)
		}
		targets[i].url = m.URL() + "/api/v1/children/" + id + "/chronology"
		body, _, err := fetch(targets[i].url, token)
		if err != nil {
			return err
		}
		var v struct{ Events []json.RawMessage }
		if err := json.Unmarshal(body, &v); err != nil || len(v.Events) != n {
			return fmt.Errorf("%s: %d items (%v), want %d", targets[i].name, len(v.Events), err, n)
		}
		fmt.Printf("%s: %d items, body %d KB\n", targets[i].name, n, len(body)/1024)
	}
	fmt.Printf("seeded in %s; store %s; %d clients in a separate process; %s warm-up + %s measured per target per round; %d round(s)\n",
		time.Since(seeded).Round(time.Millisecond), m.Store.Dialect(), o.clients, o.warmup, o.duration, o.rounds)
	fmt.Printf("machine: %s\n\n", uptime())

	names, urls := make([]string, len(targets)), make([]string, len(targets))
	for i, tg := range targets {
		names[i], urls[i] = tg.name, tg.url
	}
	return driveTargets(o, token, names, urls)
}

// driveTargets loads each URL in turn, every round, from a separate process
// (this program with -drive), and prints a row for each.
func driveTargets(o options, token string, names, urls []string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tround\trequests\terrors\treq/s\tp50\tp95\tp99\tmax\t")
	var failed []string
	for round := 1; round <= o.rounds; round++ {
		for i, url := range urls {
			cmd := exec.Command(self, "-drive", url, "-token", token, "-c", strconv.Itoa(o.clients),
				"-d", o.duration.String(), "-warmup", o.warmup.String())
			cmd.Stderr = os.Stderr
			out, err := cmd.Output()
			if err != nil {
				return fmt.Errorf("%s: the load process: %w", names[i], err)
			}
			var d driven
			if err := json.Unmarshal(out, &d); err != nil {
				return fmt.Errorf("%s: the load process said %q: %w", names[i], out, err)
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.0f\t%s\t%s\t%s\t%s\t\n", names[i], round, d.OK+d.Errors, d.Errors, float64(d.OK)/d.Elapsed.Seconds(),
				ms(d.P50), ms(d.P95), ms(d.P99), ms(d.Max))
			if d.Errors > 0 {
				failed = append(failed, fmt.Sprintf("%s round %d: %d failed, first: %s", names[i], round, d.Errors, d.FirstErr))
			}
		}
	}
	tw.Flush()
	fmt.Printf("\nmachine at the end: %s\n", uptime())
	if len(failed) > 0 {
		return fmt.Errorf("%s", strings.Join(failed, "; "))
	}
	return nil
}

// uptime is the load average, as uptime(1) shows it.
func uptime() string {
	if out, err := exec.Command("uptime").Output(); err == nil {
		return strings.TrimSpace(string(out))
	}
	return "load average " + loadAvg()
}

// chronSeedUser makes an agency and a social worker with an API token.
func chronSeedUser(ctx context.Context, st *store.Store) (context.Context, string, error) {
	b := make([]byte, 4)
	rand.Read(b)
	tag := hex.EncodeToString(b)
	sys := lantern.NewSystemContext(ctx, "lantern-bench")
	a, err := st.CreateAgency(sys, lantern.AgencyInput{Name: "Chronology Children's Services " + tag, Kind: lantern.KindChildrensSocialCare})
	if err != nil {
		return nil, "", err
	}
	u, err := st.CreateUser(sys, lantern.UserInput{Email: "chron-" + tag + "@example.org", Name: "Chron Worker", AgencyID: a.ID,
		Roles: []lantern.Role{lantern.RoleSocialWorker}})
	if err != nil {
		return nil, "", err
	}
	token, _, err := st.CreateToken(sys, u.ID, "lantern-bench", 2*time.Hour)
	if err != nil {
		return nil, "", err
	}
	return lantern.NewContextWithRequest(lantern.NewContextWithUser(ctx, u), lantern.RequestInfo{IP: "127.0.0.1", Why: "lantern-bench"}), token, nil
}

// chronSeedChild makes a child with about n items in their chronology,
// through the store as a practitioner would record them: a fifth concerns,
// two fifths referrals and their decisions, a tenth strategy discussions,
// a fifth missing episodes and their returns, a tenth core groups. It
// returns the child's id and the number of items.
func chronSeedChild(as context.Context, st *store.Store, n int) (string, int, error) {
	dob, _ := lantern.ParseDate("2011-06-01")
	c, err := st.CreateChild(as, lantern.ChildInput{GivenName: "Chron", FamilyName: "Benchmark" + strconv.Itoa(n), DateOfBirth: dob, Gender: "female"})
	if err != nil {
		return "", 0, err
	}
	unit := n / 20 // a unit of 20 items: 4 concerns, 4 referrals and decisions, 2 discussions, 2 episodes and returns, 2 core groups
	at := time.Now().UTC().AddDate(-4, 0, 0).Truncate(time.Minute)
	next := func() time.Time { at = at.Add(7 * time.Hour); return at }
	items := 0
	for range unit {
		for range 4 {
			if _, err := st.CreateConcern(as, c.ID, lantern.ConcernInput{RaisedAt: next(), Summary: "Seen with older men near the station after school"}); err != nil {
				return "", 0, err
			}
			r, err := st.CreateReferral(as, c.ID, &lantern.Referral{ReceivedAt: next(), Method: lantern.ReferralOnline,
				Referrer: lantern.Referrer{Name: "Terry Teacher", Agency: "Riverside Academy"}})
			if err != nil {
				return "", 0, err
			}
			decided := next()
			if _, err := st.UpdateReferral(as, c.ID, r.ID, r.Version, lantern.ReferralUpdate{Decision: lantern.DecideAssessment, DecidedAt: &decided}); err != nil {
				return "", 0, err
			}
			items += 3
		}
		for range 2 {
			if _, err := st.CreateStrategyDiscussion(as, c.ID, &lantern.StrategyDiscussion{HeldAt: next(), Decision: lantern.DiscussionNoS47}); err != nil {
				return "", 0, err
			}
			from := next()
			back := from.Add(5 * time.Hour)
			if _, err := st.CreateEpisode(as, c.ID, lantern.EpisodeInput{Kind: "missing", MissingFrom: from, ReturnedAt: &back}); err != nil {
				return "", 0, err
			}
			next()
			if _, err := st.CreateCoreGroup(as, c.ID, next()); err != nil {
				return "", 0, err
			}
			items += 4
		}
	}
	return c.ID, items, nil
}
