// Command lantern runs Lantern and administers it from the command line.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "time/tzdata" // Europe/London, whatever the machine has

	flog "github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"

	"lantern"
	"lantern/app"
	"lantern/audit"
	"lantern/store"
)

const usage = `Lantern: the shared system for safeguarding children from sexual exploitation.

Usage:
  lantern serve   --data DIR [--addr 127.0.0.1:8080] [--database postgres://...]
                  [--timescales wt2023|wt2006] [--holidays england-and-wales|scotland|northern-ireland]
                  [--demo] [--tls-cert FILE --tls-key FILE] [--metrics-addr ADDR] [--max-body BYTES]
                  [--smtp-addr HOST:PORT --smtp-from ADDR --base-url URL [--digest-time 07:00]]
  lantern migrate --data DIR [--database postgres://...]
  lantern agency add  --data DIR --name NAME --kind KIND
  lantern user add    --data DIR --email EMAIL --name NAME --agency NAME_OR_ID --role ROLE [--password-stdin]
  lantern token create --data DIR --email EMAIL [--ttl 24h] [--name NAME]
  lantern token list  --data DIR --email EMAIL               (id, expiry, state, name: a line each)
  lantern token revoke --data DIR --id TOKEN_ID
  lantern toolkit load --data DIR --file DEFINITION.json [--current]
  lantern holidays load --data DIR --file bank-holidays.json   (GOV.UK's published list)
  lantern area boundary load --data DIR --file FILE.geojson [--name NAME] [--name-property WD23NM]
                  (the areas the hotspot map is drawn on: GeoJSON in WGS84; replaces any before)
  lantern audit verify --data DIR [--head SEQ:HASH] [--witness FILE [--public-key KEY]]
                  [--cosigner WITNESS_KEY --public-key KEY]
  lantern keys init --to FILE   (a new key-encrypting key: serve --kek-file FILE seals restricted
                  fields and two-factor secrets at rest under it)
  lantern keys verify --data DIR --kek-file FILE   (opens every sealed value: exit 0 all open and
                  none left unsealed, else 1 naming the first that does not)
  lantern keys rotate --data DIR --kek-file FILE [--new-kek-file FILE]   (seals every value again
                  under new data keys; with --new-kek-file, under a new KEK: stop the servers first)
  lantern audit keygen --to FILE   (a new Ed25519 key for signing the audit log's checkpoints,
                  mode 0600; prints only the public key, base64)
  lantern audit prove --data DIR --seq N   (entry N's inclusion proof in the latest signed
                  checkpoint, as JSON)
  lantern audit consistency --data DIR --from SIZE --to SIZE   (that the log of the later signed
                  checkpoint only grew from the earlier's, as JSON)
  lantern audit check-proof --public-key KEY --proof FILE   (either proof, offline: exit 0 valid, 1 not)
  lantern witness keygen --name NAME --to FILE   (another agency's witness key: prints the key
                  the log's operator gives serve as --audit-cosigner-key)
  lantern witness serve --key FILE --log-key KEY --state FILE [--addr 127.0.0.1:8090]
                  (cosigns Lantern's checkpoints, C2SP tlog-witness; serve --audit-cosigner URL)
  lantern backup  --data DIR --to FILE
  lantern restore --data DIR --from FILE
  lantern digest send --data DIR --smtp-addr HOST:PORT --smtp-from ADDR --base-url URL
                  [--smtp-username USER (password: LANTERN_SMTP_PASSWORD_FILE)] [--smtp-starttls=false]
  lantern demo generate --data DIR [--scale county|national|0.01] [--years 10] [--seed 1] [--truth FILE]
                  (a fictional set, into a store with no real users: county is one area's children
                  and their records over --years, national 153 areas and a million children, each
                  with intelligence linked to them; a number is intelligence alone, 2 million
                  entities and 10 million links at 1; --truth writes who is who, to measure
                  entity resolution)
  lantern intel train   --data DIR [--sample N] [--u-pairs N] [--em-pairs N] [--seed N]
                  (trains the entity-resolution model on the persons held, and the answered pairs)
  lantern intel resolve --data DIR   (compares every person held: merges, and lists pairs for review)
  lantern intel evaluate --data DIR --truth FILE   (precision and recall of the merges against a truth file)

Every flag may also be set as LANTERN_NAME (LANTERN_DATA, LANTERN_DATABASE, ...), or
read from a file named by LANTERN_NAME_FILE.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "lantern:", lantern.ErrorMessageOrText(err))
	}
	os.Exit(code)
}

// run is the whole command, for tests. It returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	if len(args) == 0 {
		// No command is a mistake in a script: say so, and how to use it.
		fmt.Fprint(stderr, usage)
		return 2, errors.New("no command given")
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return 0, nil
	}
	cmd, rest := args[0], args[1:]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return exit(serve(ctx, rest, stdout, stderr))
	case "migrate":
		return exit(migrate(ctx, rest, stderr))
	case "agency add":
		return exit(agencyAdd(ctx, rest, stdout, stderr))
	case "user add":
		return exit(userAdd(ctx, rest, stdin, stdout, stderr))
	case "token create":
		return exit(tokenCreate(ctx, rest, stdout, stderr))
	case "token revoke":
		return exit(tokenRevoke(ctx, rest, stderr))
	case "token list":
		return exit(tokenList(ctx, rest, stdout, stderr))
	case "toolkit load":
		return exit(toolkitLoad(ctx, rest, stdout, stderr))
	case "holidays load":
		return exit(holidaysLoad(ctx, rest, stdout, stderr))
	case "area boundary":
		if len(rest) > 0 && rest[0] == "load" {
			return exit(boundaryLoad(ctx, rest[1:], stdout, stderr))
		}
	case "audit verify":
		return auditVerify(ctx, rest, stdout, stderr)
	case "audit keygen":
		return exit(auditKeygen(ctx, rest, stdout, stderr))
	case "audit prove":
		return exit(auditProve(ctx, rest, stdout, stderr))
	case "audit consistency":
		return exit(auditConsistency(ctx, rest, stdout, stderr))
	case "keys init":
		return exit(keysInit(rest, stdout, stderr))
	case "keys verify":
		return keysVerify(ctx, rest, stdout, stderr)
	case "keys rotate":
		return exit(keysRotate(ctx, rest, stdout, stderr))
	case "witness keygen":
		return exit(witnessKeygen(rest, stdout, stderr))
	case "witness serve":
		return exit(witnessServe(ctx, rest, stderr))
	case "audit check-proof":
		return auditCheckProof(rest, stdout, stderr)
	case "backup":
		return exit(backup(ctx, rest, stderr))
	case "restore":
		return exit(restore(ctx, rest, stdout, stderr))
	case "digest send":
		return exit(digestSend(ctx, rest, stdout, stderr))
	case "demo generate":
		return exit(demoGenerate(ctx, rest, stdout, stderr))
	case "intel train":
		return exit(intelTrain(ctx, rest, stdout, stderr))
	case "intel resolve":
		return exit(intelResolve(ctx, rest, stdout, stderr))
	case "intel evaluate":
		return exit(intelEvaluate(ctx, rest, stdout, stderr))
	}
	fmt.Fprint(stderr, usage)
	return 2, fmt.Errorf("unknown command %q", cmd)
}

func exit(err error) (int, error) {
	if err == nil {
		return 0, nil
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0, nil
	}
	return 1, err
}

// parse reads flags then the environment.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return app.FromEnv(fs, os.Getenv)
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("lantern "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// openStore opens an existing, current store for an admin command.
func openStore(ctx context.Context, c app.Config) (*store.Store, error) {
	st, err := app.OpenStore(ctx, c, app.NewLogger(io.Discard, "error")) // which validates the settings
	if err != nil {
		return nil, err
	}
	// Admin commands migrate too, so a fresh data folder works at once.
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// adminCommand parses an admin command's flags (defined by define), opens
// the store and runs fn as the operator at the command line.
func adminCommand(ctx context.Context, name string, args []string, stderr io.Writer,
	define func(fs *flag.FlagSet), fn func(sys context.Context, st *store.Store) error) error {
	return adminCommandWith(ctx, name, args, stderr, define, nil, fn)
}

// adminCommandWith is adminCommand, with prepare (when not nil) settling
// the store's settings after the flags are read and before it is opened.
func adminCommandWith(ctx context.Context, name string, args []string, stderr io.Writer,
	define func(fs *flag.FlagSet), prepare func(c *app.Config), fn func(sys context.Context, st *store.Store) error) error {
	c := app.Defaults()
	fs := newFlags(name, stderr)
	c.StoreFlags(fs)
	define(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if prepare != nil {
		prepare(&c)
	}
	st, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(lantern.NewSystemContext(ctx, "lantern "+name), st)
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := app.Defaults()
	fs := newFlags("serve", stderr)
	c.ServeFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	m := &app.Main{Config: c, Out: stdout, Log: app.NewLogger(stderr, c.LogLevel)}
	if err := m.Open(ctx); err != nil {
		m.Close()
		return err
	}
	fmt.Fprintf(stdout, "Lantern is running at %s\n", m.URL())
	err := m.Wait(ctx)
	m.Log.Info("shutting down")
	return errors.Join(err, m.Close())
}

func migrate(ctx context.Context, args []string, stderr io.Writer) error {
	c := app.Defaults()
	fs := newFlags("migrate", stderr)
	c.StoreFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	st, err := app.OpenStore(ctx, c, app.NewLogger(stderr, "info"))
	if err != nil {
		return err
	}
	defer st.Close()
	return st.Migrate(ctx)
}

func agencyAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var name, kind *string
	return adminCommand(ctx, "agency add", args, stderr, func(fs *flag.FlagSet) {
		name = fs.String("name", "", "the agency's name")
		kind = fs.String("kind", "", "childrens-social-care, police, health, education, youth-justice, voluntary or housing")
	}, func(sys context.Context, st *store.Store) error {
		a, err := st.CreateAgency(sys, lantern.AgencyInput{Name: *name, Kind: lantern.AgencyKind(*kind)})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, a.ID)
		return nil
	})
}

type roleList []lantern.Role

func (r *roleList) String() string { return fmt.Sprint(*r) }
func (r *roleList) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			if !lantern.Role(s).Valid() {
				names := make([]string, len(lantern.Roles))
				for i, role := range lantern.Roles {
					names[i] = string(role)
				}
				return fmt.Errorf("unknown role %q: the roles are %s", s, strings.Join(names, ", "))
			}
			*r = append(*r, lantern.Role(s))
		}
	}
	return nil
}

func userAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var email, name, agency *string
	var pwStdin *bool
	var roles roleList
	return adminCommand(ctx, "user add", args, stderr, func(fs *flag.FlagSet) {
		email = fs.String("email", "", "the person's email address")
		name = fs.String("name", "", "the person's name")
		agency = fs.String("agency", "", "the agency's name or id")
		fs.Var(&roles, "role", "a role (repeat, or separate with commas)")
		pwStdin = fs.Bool("password-stdin", false, "read the password from standard input")
	}, func(sys context.Context, st *store.Store) error {
		password, err := readPassword(*pwStdin, stdin)
		if err != nil {
			return err
		}
		a, err := st.FindAgency(sys, *agency)
		if err != nil {
			return fmt.Errorf("--agency: no agency %q", *agency)
		}
		u, err := st.CreateUser(sys, lantern.UserInput{Email: *email, Name: *name, AgencyID: a.ID, Roles: roles, Password: password})
		if err != nil {
			return err
		}
		if !*pwStdin {
			fmt.Fprintf(stderr, "Initial password for %s (shown once; they sign in and set up two factors): %s\n", u.Email, password)
		}
		fmt.Fprintln(stdout, u.ID)
		return nil
	})
}

// readPassword reads one line from stdin, or, when none is to be given,
// makes a strong password to be shown once on stderr, so that stdout stays
// just the id for scripts.
func readPassword(fromStdin bool, stdin io.Reader) (string, error) {
	if !fromStdin {
		b := make([]byte, 15)
		rand.Read(b)
		return base64.RawURLEncoding.EncodeToString(b), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", errors.New("--password-stdin: no password on standard input")
	}
	return password, nil
}

func findUser(ctx context.Context, st *store.Store, email string) (*lantern.User, error) {
	u, err := st.FindUserByEmail(ctx, email)
	if lantern.ErrorCode(err) == lantern.ENOTFOUND {
		return nil, fmt.Errorf("--email: no user %q", email)
	}
	return u, err
}

func tokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var email, name *string
	var ttl *time.Duration
	return adminCommand(ctx, "token create", args, stderr, func(fs *flag.FlagSet) {
		email = fs.String("email", "", "the user the token acts for")
		ttl = fs.Duration("ttl", 24*time.Hour, "how long the token lasts")
		name = fs.String("name", "command line", "what the token is for")
	}, func(sys context.Context, st *store.Store) error {
		u, err := findUser(sys, st, *email)
		if err != nil {
			return err
		}
		secret, _, err := st.CreateToken(sys, u.ID, *name, *ttl)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, secret)
		return nil
	})
}

func tokenRevoke(ctx context.Context, args []string, stderr io.Writer) error {
	var id *string
	return adminCommand(ctx, "token revoke", args, stderr, func(fs *flag.FlagSet) {
		id = fs.String("id", "", "the token's id")
	}, func(sys context.Context, st *store.Store) error {
		return st.RevokeToken(sys, *id)
	})
}

// tokenList prints a user's tokens, a line each: id, expiry, state and
// name, tab-separated, newest first. Never the secret, which is not kept.
func tokenList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var email *string
	return adminCommand(ctx, "token list", args, stderr, func(fs *flag.FlagSet) {
		email = fs.String("email", "", "the user whose tokens to list")
	}, func(sys context.Context, st *store.Store) error {
		u, err := findUser(sys, st, *email)
		if err != nil {
			return err
		}
		ts, err := st.Tokens(sys, u.ID)
		if err != nil {
			return err
		}
		now := st.Now()
		for _, t := range ts {
			state := "active"
			switch {
			case t.RevokedAt != nil:
				state = "revoked"
			case !now.Before(t.ExpiresAt):
				state = "expired"
			}
			fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", t.ID, t.ExpiresAt.UTC().Format(time.RFC3339), state, t.Name)
		}
		return nil
	})
}

func auditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	c := app.Defaults()
	fs := newFlags("audit verify", stderr)
	c.StoreFlags(fs)
	head := fs.String("head", "", "an entry's number and hash as recorded earlier (SEQ:HASH, from this command or the server's log): checks it is still in the trail as it was")
	witness := fs.String("witness", "", "a witness file of signed checkpoints (--audit-witness): checks the log still gives each one's root")
	pubKey := fs.String("public-key", "", "with --witness, the public key (as lantern audit keygen printed it): checks each witnessed checkpoint's signature too")
	cosigner := fs.String("cosigner", "", "a witness's key (as lantern witness keygen printed it), with --public-key: checks the latest checkpoint it cosigned is in the log, with both signatures")
	if err := parse(fs, args); err != nil {
		return exit(err)
	}
	var wantSeq int64
	var wantHash string
	if *head != "" {
		seq, hash, ok := strings.Cut(*head, ":")
		n, err := strconv.ParseInt(seq, 10, 64)
		if !ok || err != nil || n < 1 || len(hash) != 64 || strings.Trim(hash, "0123456789abcdef") != "" {
			return 1, fmt.Errorf("--head: give SEQ:HASH, an entry's number and its 64-character hash, as audit verify or the server's log printed them")
		}
		wantSeq, wantHash = n, hash
	}
	st, err := app.OpenExistingStore(ctx, c, app.NewLogger(io.Discard, "error"))
	if err != nil {
		return 1, err
	}
	defer st.Close()
	n, err := st.VerifyAudit(ctx)
	var p *audit.Problem
	if errors.As(err, &p) {
		if p.Seq == 0 {
			fmt.Fprintf(stdout, "audit trail NOT intact: %s\n", p.Reason)
		} else {
			fmt.Fprintf(stdout, "audit trail NOT intact: first bad entry is %d: %s\n", p.Seq, p.Reason)
		}
		return 1, nil
	} else if err != nil {
		return 1, err
	}
	// The chain holds; an entry recorded elsewhere must still be in it as
	// it was, or the trail was cut short or rewritten from there.
	if wantSeq > 0 {
		got, err := st.AuditEntryHash(ctx, wantSeq)
		switch {
		case lantern.ErrorCode(err) == lantern.ENOTFOUND:
			fmt.Fprintf(stdout, "audit trail NOT intact: first bad entry is %d: it was recorded with hash %s and is no longer in the trail: entries were removed\n", wantSeq, wantHash)
			return 1, nil
		case err != nil:
			return 1, err
		case got != wantHash:
			fmt.Fprintf(stdout, "audit trail NOT intact: first bad entry is %d: its hash is %s, not %s as recorded: the trail was rewritten from there or before\n", wantSeq, got, wantHash)
			return 1, nil
		}
	}
	// The tree: each entry's leaf, and the root of every checkpoint signed,
	// and of every one the witness file holds.
	var witnessed []flog.Checkpoint
	if *witness != "" {
		var v note.Verifier
		if *pubKey != "" {
			if v, err = audit.NewKeyVerifier(*pubKey); err != nil {
				return 1, fmt.Errorf("--public-key: %w", err)
			}
		}
		f, err := os.Open(*witness)
		if err != nil {
			return 1, fmt.Errorf("--witness: %w", err)
		}
		witnessed, err = audit.ReadWitness(f, v)
		f.Close()
		if err != nil {
			fmt.Fprintf(stdout, "audit trail NOT intact: %v\n", err)
			return 1, nil
		}
	}
	if *cosigner != "" {
		if *pubKey == "" {
			return 1, errors.New("--cosigner needs --public-key: a cosigned checkpoint carries the log's signature too")
		}
		v, err := audit.NewKeyVerifier(*pubKey)
		if err != nil {
			return 1, fmt.Errorf("--public-key: %w", err)
		}
		name, err := audit.WitnessName(*cosigner)
		if err != nil {
			return 1, fmt.Errorf("--cosigner: %w", err)
		}
		cosigned, err := st.LatestCosigned(ctx, name)
		if err != nil {
			return 1, err
		}
		if cosigned == "" {
			fmt.Fprintf(stdout, "audit trail NOT intact: no checkpoint cosigned by %s is in the log: its cosignatures were removed, or it never cosigned one\n", name)
			return 1, nil
		}
		size, root, _, err := audit.CheckCosigned(cosigned, v, *cosigner)
		if err != nil {
			fmt.Fprintf(stdout, "audit trail NOT intact: the checkpoint cosigned by %s: %v\n", name, err)
			return 1, nil
		}
		witnessed = append(witnessed, flog.Checkpoint{Origin: audit.Origin, Size: size, Hash: root})
	}
	size, err := st.VerifyAuditTree(ctx, witnessed)
	if errors.As(err, &p) {
		fmt.Fprintf(stdout, "audit trail NOT intact: first bad entry is %d: %s\n", p.Seq, p.Reason)
		return 1, nil
	} else if err != nil {
		return 1, err
	}
	fmt.Fprintf(stdout, "audit trail intact: %d entries verified", n)
	if size > 0 {
		fmt.Fprintf(stdout, "; the tree's checkpoints up to %d entries agree (%d witnessed)", size, len(witnessed))
	}
	fmt.Fprintln(stdout)
	if seq, hash, err := st.AuditHead(ctx); err == nil {
		fmt.Fprintf(stderr, "The latest entry is %d:%s. Kept somewhere else, it lets audit verify --head %d:%s show later that nothing up to it was removed or rewritten.\n", seq, hash, seq, hash)
	}
	return 0, nil
}

func backup(ctx context.Context, args []string, stderr io.Writer) error {
	c := app.Defaults()
	fs := newFlags("backup", stderr)
	c.StoreFlags(fs)
	to := fs.String("to", "", "the file to write the backup to")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("--to: give the file to write the backup to")
	}
	st, err := app.OpenExistingStore(ctx, c, app.NewLogger(io.Discard, "error"))
	if err != nil {
		return err
	}
	defer st.Close()
	return app.Backup(ctx, st, *to)
}

func restore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := app.Defaults()
	fs := newFlags("restore", stderr)
	c.StoreFlags(fs)
	from := fs.String("from", "", "the backup file to restore")
	if err := parse(fs, args); err != nil {
		return err
	}
	if c.Database != "" {
		return errors.New("restore is for the embedded database: for PostgreSQL, use pg_restore (see the README)")
	}
	if *from == "" {
		return errors.New("--from: give the backup file to restore")
	}
	if err := app.Restore(ctx, c.DataDir, *from); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "restored", *from)
	return nil
}

func toolkitLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var file *string
	var current *bool
	return adminCommand(ctx, "toolkit load", args, stderr, func(fs *flag.FlagSet) {
		file = fs.String("file", "", "the toolkit definition (JSON)")
		current = fs.Bool("current", false, "use it for new assessments")
	}, func(sys context.Context, st *store.Store) error {
		raw, err := os.ReadFile(*file)
		if err != nil {
			return fmt.Errorf("--file: %w", err)
		}
		def, err := st.LoadToolkit(sys, raw)
		if err != nil {
			return err
		}
		if *current {
			if err := st.SetCurrentToolkit(sys, def.ID); err != nil {
				return err
			}
		}
		fmt.Fprintln(stdout, def.ID)
		return nil
	})
}

// boundaryLoad loads the area's boundary from a GeoJSON file (named by
// --file, or first), and prints its id and counts.
func boundaryLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var file, name, prop *string
	first := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		first, args = args[0], args[1:]
	}
	return adminCommand(ctx, "area boundary load", args, stderr, func(fs *flag.FlagSet) {
		file = fs.String("file", first, "the boundary (GeoJSON, WGS84 longitude and latitude)")
		name = fs.String("name", "", "the boundary's name (by default the file's own)")
		prop = fs.String("name-property", "", "the feature property that names each area (by default name, else one ending in NM)")
	}, func(sys context.Context, st *store.Store) error {
		if *file == "" {
			return errors.New("--file: give the boundary file (GeoJSON)")
		}
		raw, err := os.ReadFile(*file)
		if err != nil {
			return fmt.Errorf("--file: %w", err)
		}
		b, err := st.LoadAreaBoundary(sys, raw, lantern.BoundaryOptions{Name: *name, NameProperty: *prop})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %d areas, %d positions\n", b.ID, len(b.Areas), b.Vertices)
		if b.Note != "" {
			fmt.Fprintln(stderr, b.Note)
		}
		return nil
	})
}

func holidaysLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var file *string
	return adminCommand(ctx, "holidays load", args, stderr, func(fs *flag.FlagSet) {
		file = fs.String("file", "", "the bank holidays, in GOV.UK's bank-holidays JSON format")
	}, func(sys context.Context, st *store.Store) error {
		raw, err := os.ReadFile(*file)
		if err != nil {
			return fmt.Errorf("--file: %w", err)
		}
		counts, err := st.LoadBankHolidays(sys, raw)
		if err != nil {
			return err
		}
		for _, region := range slices.Sorted(maps.Keys(counts)) { // the same order every time
			fmt.Fprintf(stdout, "%s: %d bank holidays\n", region, counts[region])
		}
		return nil
	})
}
