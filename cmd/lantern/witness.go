package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"lantern/app"
	"lantern/audit"
	"lantern/witness"
)

// witnessKeygen makes a witness's key pair: the private key to a new file
// (mode 0600), the cosignature key printed for the log's operator.
func witnessKeygen(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("witness keygen", stderr)
	name := fs.String("name", "", "the witness's name, such as the agency's domain (police.example.org)")
	to := fs.String("to", "", "the file to write the private key to (mode 0600; never one that exists)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *name == "" {
		return errors.New("--name: name the witness, such as the agency's domain")
	}
	if *to == "" {
		return errors.New("--to: name the file to write the key to")
	}
	skey, vkey, err := audit.GenerateWitnessKey(*name)
	if err != nil {
		return fmt.Errorf("--name: %w", err)
	}
	if err := writeKey(*to, skey); err != nil {
		return err
	}
	fmt.Fprintln(stdout, vkey)
	return nil
}

// witnessServe runs a witness of one Lantern log until stopped.
func witnessServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlags("witness serve", stderr)
	keyFile := fs.String("key", "", "the witness's private key file (lantern witness keygen)")
	logKey := fs.String("log-key", "", "the public key of the log witnessed, as lantern audit keygen printed it")
	state := fs.String("state", "", "the file the witness keeps the latest checkpoint it cosigned in (made if missing)")
	addr := fs.String("addr", "127.0.0.1:8090", "the address to listen on")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *keyFile == "":
		return errors.New("--key: give the witness's private key file")
	case *logKey == "":
		return errors.New("--log-key: give the public key of the log to witness")
	case *state == "":
		return errors.New("--state: give the file to keep the witness's state in")
	}
	skey, err := os.ReadFile(*keyFile)
	if err != nil {
		return fmt.Errorf("--key: %w", err)
	}
	v, err := audit.NewKeyVerifier(*logKey)
	if err != nil {
		return fmt.Errorf("--log-key: %w", err)
	}
	log := app.NewLogger(stderr, "info")
	w, err := witness.New(string(skey), v, *state, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("--addr: %w", err)
	}
	srv := &http.Server{Handler: w, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, MaxHeaderBytes: 16 << 10}
	log.Info("witness serving", "addr", ln.Addr().String(), "size", w.State().Size)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}
