package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"
)

// SMTPConfig says how to reach the mail server that sends Lantern's email.
type SMTPConfig struct {
	// Addr is the server's host:port.
	Addr string
	// From is the sender, an address with or without a display name:
	// "Lantern <lantern@council.example.org>".
	From string
	// Username and Password, when set, sign in with AUTH PLAIN, which is
	// only ever done over TLS or to a loopback address.
	Username, Password string
	// StartTLS upgrades the connection with STARTTLS before anything else
	// is sent, and refuses a server that does not offer it.
	StartTLS bool
	// TLS is the TLS configuration for STARTTLS; nil verifies the server
	// against the system's roots. Tests give their own roots.
	TLS *tls.Config
	// Timeout bounds connecting and each message; 1 minute when zero.
	Timeout time.Duration
	// HelloName is the name given in EHLO; "localhost" when empty.
	HelloName string
}

// Validate checks the configuration, naming the setting at fault by its
// flag.
func (c SMTPConfig) Validate() error {
	var errs []error
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" || port == "" {
		errs = append(errs, fmt.Errorf("--smtp-addr: give the mail server as host:port"))
	}
	if _, err := mail.ParseAddress(c.From); err != nil || strings.ContainsAny(c.From, "\r\n") {
		errs = append(errs, fmt.Errorf("--smtp-from: give the sender's email address, such as lantern@council.example.org"))
	}
	if (c.Username == "") != (c.Password == "") {
		errs = append(errs, errors.New("--smtp-username and --smtp-password go together"))
	}
	if c.Username != "" && !c.StartTLS && !IsLoopback(host) {
		errs = append(errs, errors.New("--smtp-password would be sent in the clear: use --smtp-starttls, or a mail server on a loopback address"))
	}
	return errors.Join(errs...)
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Mailer sends messages through one SMTP server, keeping its connection
// open between messages and opening another after any failure. It is for
// one goroutine at a time.
type Mailer struct {
	cfg  SMTPConfig
	from string // the envelope sender
	host string
	c    *smtp.Client
	conn net.Conn
}

// NewMailer checks cfg and returns a Mailer; it connects on the first send.
func NewMailer(cfg SMTPConfig) (*Mailer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = time.Minute
	}
	if cfg.HelloName == "" {
		cfg.HelloName = "localhost"
	}
	from, _ := mail.ParseAddress(cfg.From)
	host, _, _ := net.SplitHostPort(cfg.Addr)
	return &Mailer{cfg: cfg, from: from.Address, host: host}, nil
}

// From is the sender as given in the From header.
func (m *Mailer) From() string { return m.cfg.From }

// Send sends msg, a whole message with its headers, to one recipient.
func (m *Mailer) Send(ctx context.Context, to string, msg []byte) error {
	if strings.ContainsAny(to, "\r\n<>") {
		return errors.New("bad recipient address")
	}
	if err := m.send(ctx, to, msg); err != nil {
		m.drop()
		return err
	}
	return nil
}

func (m *Mailer) send(ctx context.Context, to string, msg []byte) error {
	if m.c == nil {
		if err := m.connect(ctx); err != nil {
			return err
		}
	} else if err := m.c.Reset(); err != nil { // a connection kept from the last message
		m.drop()
		if err := m.connect(ctx); err != nil {
			return err
		}
	}
	deadline := time.Now().Add(m.cfg.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	m.conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { m.conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if err := m.c.Mail(m.from); err != nil {
		return wrap("MAIL FROM", err)
	}
	if err := m.c.Rcpt(to); err != nil {
		return wrap("RCPT TO", err)
	}
	w, err := m.c.Data()
	if err != nil {
		return wrap("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return wrap("DATA", err)
	}
	return wrap("DATA", w.Close())
}

func (m *Mailer) connect(ctx context.Context) error {
	d := net.Dialer{Timeout: m.cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", m.cfg.Addr)
	if err != nil {
		return fmt.Errorf("connect to the mail server: %w", err)
	}
	conn.SetDeadline(time.Now().Add(m.cfg.Timeout))
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return wrap("greeting", err)
	}
	m.c, m.conn = c, conn
	if err := c.Hello(m.cfg.HelloName); err != nil {
		return wrap("EHLO", err)
	}
	if m.cfg.StartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("the mail server does not offer STARTTLS (--smtp-starttls is on)")
		}
		tc := &tls.Config{ServerName: m.host, MinVersion: tls.VersionTLS12}
		if m.cfg.TLS != nil {
			tc = m.cfg.TLS.Clone()
			if tc.ServerName == "" {
				tc.ServerName = m.host
			}
			tc.MinVersion = max(tc.MinVersion, tls.VersionTLS12)
		}
		if err := c.StartTLS(tc); err != nil {
			return wrap("STARTTLS", err)
		}
	}
	if m.cfg.Username != "" {
		// net/smtp's PLAIN refuses, itself, to send the password over a
		// connection that is neither TLS nor to localhost.
		if _, secure := c.TLSConnectionState(); !secure && !IsLoopback(m.host) {
			return errors.New("refusing to send the SMTP password without TLS")
		}
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("the mail server does not offer AUTH, and --smtp-username is set")
		}
		if err := c.Auth(smtp.PlainAuth("", m.cfg.Username, m.cfg.Password, m.host)); err != nil {
			return wrap("AUTH", err)
		}
	}
	return nil
}

// drop closes the connection without ceremony, after a failure.
func (m *Mailer) drop() {
	if m.conn != nil {
		m.conn.Close()
	}
	m.c, m.conn = nil, nil
}

// Close says goodbye to the server and closes the connection.
func (m *Mailer) Close() error {
	if m.c == nil {
		return nil
	}
	m.conn.SetDeadline(time.Now().Add(10 * time.Second))
	err := m.c.Quit()
	m.drop()
	return err
}

// ReplyError is the mail server refusing a command. Of its reply only the
// code is kept, so that the error may be logged: the text can quote the
// recipient's address.
type ReplyError struct {
	Stage string // the command refused: MAIL FROM, RCPT TO, DATA...
	Code  int
}

func (e *ReplyError) Error() string {
	return fmt.Sprintf("%s: the mail server replied %d", e.Stage, e.Code)
}

// Permanent reports whether the server refused for good (a 5xx reply).
func (e *ReplyError) Permanent() bool { return e.Code >= 500 }

func wrap(stage string, err error) error {
	if err == nil {
		return nil
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return &ReplyError{Stage: stage, Code: te.Code}
	}
	return fmt.Errorf("%s: %w", stage, err)
}

// String describes the configuration without its password.
func (c SMTPConfig) String() string {
	pw := ""
	if c.Password != "" {
		pw = "[redacted]"
	}
	return fmt.Sprintf("{Addr:%s From:%s Username:%s Password:%s StartTLS:%t}", c.Addr, c.From, c.Username, pw, c.StartTLS)
}

// GoString is String, for %#v.
func (c SMTPConfig) GoString() string { return c.String() }

// LogValue keeps the password out of logs.
func (c SMTPConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }
