package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"lantern/audit"
	"lantern/store"
)

// auditKeygen writes a new signing key for the audit log's checkpoints to
// a file of its own (never over one that exists), readable by its owner
// only, and prints the public key, base64, for checking proofs offline.
func auditKeygen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("audit keygen", stderr)
	to := fs.String("to", "", "the file to write the private key to (mode 0600; never one that exists)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("--to: name the file to write the key to")
	}
	skey, pub, err := audit.GenerateKey()
	if err != nil {
		return err
	}
	if err := writeKey(*to, skey); err != nil {
		return err
	}
	fmt.Fprintln(stdout, encodeKey(pub))
	return nil
}

// writeKey writes a private key to a new file, mode 0600: never over
// another key.
func writeKey(path, skey string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("--to: %w (a key is never written over)", err)
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// auditProve prints entry N's inclusion proof in the latest signed
// checkpoint, as JSON.
func auditProve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var seq int64
	return adminCommand(ctx, "audit prove", args, stderr, func(fs *flag.FlagSet) {
		fs.Int64Var(&seq, "seq", 0, "the entry's number")
	}, func(sys context.Context, st *store.Store) error {
		p, err := st.AuditProof(sys, seq)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(p)
	})
}

// auditConsistency prints the proof that the log of one signed checkpoint
// only grew into that of a later one, as JSON.
func auditConsistency(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var from, to uint64
	return adminCommand(ctx, "audit consistency", args, stderr, func(fs *flag.FlagSet) {
		fs.Uint64Var(&from, "from", 0, "the earlier checkpoint's size (its number of entries)")
		fs.Uint64Var(&to, "to", 0, "the later checkpoint's size")
	}, func(sys context.Context, st *store.Store) error {
		c, err := st.AuditConsistency(sys, from, to)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(c)
	})
}

// auditCheckProof checks a proof offline, with the public key alone: exit
// 0 valid, 1 not, saying why.
func auditCheckProof(args []string, stdout, stderr io.Writer) (int, error) {
	fs := newFlags("audit check-proof", stderr)
	key := fs.String("public-key", "", "the public key, base64, as lantern audit keygen printed it")
	file := fs.String("proof", "", "the proof, as lantern audit prove printed it (- for standard input)")
	if err := parse(fs, args); err != nil {
		return exit(err)
	}
	v, err := audit.NewKeyVerifier(*key)
	if err != nil {
		return 1, fmt.Errorf("--public-key: %w", err)
	}
	var b []byte
	if *file == "-" {
		b, err = io.ReadAll(io.LimitReader(os.Stdin, 1<<20))
	} else if *file != "" {
		b, err = os.ReadFile(*file)
	} else {
		err = errors.New("name the proof's file")
	}
	if err != nil {
		return 1, fmt.Errorf("--proof: %w", err)
	}
	// A consistency proof has "consistency"; an inclusion proof has not.
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return 1, fmt.Errorf("--proof: not a proof as lantern audit prove or consistency prints one: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if _, ok := probe["consistency"]; ok {
		var c audit.Consistency
		if err := dec.Decode(&c); err != nil {
			return 1, fmt.Errorf("--proof: not a consistency proof as lantern audit consistency prints one: %w", err)
		}
		if err := c.Check(v); err != nil {
			fmt.Fprintf(stdout, "proof NOT valid: %v\n", err)
			return 1, nil
		}
		fmt.Fprintln(stdout, "proof valid: the later checkpoint's log only grew from the earlier's")
		return 0, nil
	}
	var p audit.Proof
	if err := dec.Decode(&p); err != nil {
		return 1, fmt.Errorf("--proof: not a proof as lantern audit prove prints one: %w", err)
	}
	if err := p.Check(v); err != nil {
		fmt.Fprintf(stdout, "proof NOT valid: %v\n", err)
		return 1, nil
	}
	fmt.Fprintf(stdout, "proof valid: entry %d is in the log of %d entries the checkpoint signs\n", p.Seq, p.TreeSize)
	return 0, nil
}

// encodeKey is a public key as keygen prints it.
func encodeKey(pub []byte) string { return base64.StdEncoding.EncodeToString(pub) }
