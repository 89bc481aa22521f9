// Package vault encrypts restricted fields at rest (docs/information-governance.md#encryption-at-rest).
//
// Each class of data (a disclosure's words, a return interview's account,
// health details, two-factor secrets) has its own data key; data keys are
// kept in the database wrapped by a key-encrypting key that lives in a file
// outside it (--kek-file). A value is sealed with AES-256-GCM and bound, as
// additional data, to its table, column and row: moved to another row or
// column, or altered, it fails to open, and is never read as garbage.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// KeySize is the size of every key: AES-256.
const KeySize = 32

// prefix starts every sealed value. It begins with a control character,
// which no field a person writes may hold (lantern's text checks refuse
// them), so no plain value can be taken for a sealed one.
const prefix = "\x01v1:"

// ErrTampered is the error of a value that does not open: altered, moved,
// or sealed under another key.
var ErrTampered = errors.New("vault: a sealed value failed its integrity check (altered, moved, or under another key)")

// KEK is a key-encrypting key.
type KEK struct {
	key [KeySize]byte
}

// ID names a KEK without revealing it: the first 8 bytes of its SHA-256.
func (k *KEK) ID() string {
	sum := sha256.Sum256(append([]byte("lantern kek id\x00"), k.key[:]...))
	return hex.EncodeToString(sum[:8])
}

// NewKEK makes a random KEK.
func NewKEK() (*KEK, error) {
	var k KEK
	if _, err := rand.Read(k.key[:]); err != nil {
		return nil, err
	}
	return &k, nil
}

// Encode is the KEK as its file holds it: base64, one line.
func (k *KEK) Encode() []byte {
	return []byte(base64.StdEncoding.EncodeToString(k.key[:]) + "\n")
}

// ParseKEK reads a KEK file's contents: 32 bytes in standard base64.
func ParseKEK(b []byte) (*KEK, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(raw) != KeySize {
		return nil, errors.New("vault: a key-encrypting key file holds 32 bytes in base64 on one line (lantern keys init makes one)")
	}
	var k KEK
	copy(k.key[:], raw)
	return &k, nil
}

// LoadKEK reads a KEK file, refusing one that others may read.
func LoadKEK(path string) (*KEK, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("vault: key-encrypting key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("vault: the key-encrypting key file %s may be read by others (mode %o): chmod 600 it", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("vault: key-encrypting key: %w", err)
	}
	return ParseKEK(b)
}

// WriteKEK writes a new KEK to path, which must not exist, readable by its
// owner only.
func WriteKEK(path string) (*KEK, error) {
	k, err := NewKEK()
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	if _, err := f.Write(k.Encode()); err != nil {
		f.Close()
		return nil, err
	}
	return k, f.Close()
}

func gcm(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

func wrapAAD(class, id string) []byte { return []byte("lantern data key\x00" + class + "\x00" + id) }

// NewDataKey makes a random data key.
func NewDataKey() ([]byte, error) {
	k := make([]byte, KeySize)
	_, err := rand.Read(k)
	return k, err
}

// Wrap encrypts a data key of class, named id, under the KEK.
func (k *KEK) Wrap(class, id string, dek []byte) (string, error) {
	a, err := gcm(k.key[:])
	if err != nil {
		return "", err
	}
	nonce := make([]byte, a.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(a.Seal(nonce, nonce, dek, wrapAAD(class, id))), nil
}

// Unwrap opens a wrapped data key; a key wrapped under another KEK, or
// altered, is ErrTampered.
func (k *KEK) Unwrap(class, id, wrapped string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(wrapped)
	if err != nil {
		return nil, ErrTampered
	}
	a, err := gcm(k.key[:])
	if err != nil {
		return nil, err
	}
	if len(raw) < a.NonceSize()+a.Overhead() {
		return nil, ErrTampered
	}
	dek, err := a.Open(nil, raw[:a.NonceSize()], raw[a.NonceSize():], wrapAAD(class, id))
	if err != nil || len(dek) != KeySize {
		return nil, ErrTampered
	}
	return dek, nil
}

// AAD binds a value to where it is kept.
func AAD(table, column, rowID string) []byte {
	return []byte("lantern field\x00" + table + "\x00" + column + "\x00" + rowID)
}

// IsSealed reports whether a stored value is sealed.
func IsSealed(v string) bool { return strings.HasPrefix(v, prefix) }

// KeyOf is the data key id a sealed value names, or "" for a plain one.
func KeyOf(v string) string {
	if !IsSealed(v) {
		return ""
	}
	id, _, ok := strings.Cut(v[len(prefix):], ":")
	if !ok {
		return ""
	}
	return id
}

// Seal encrypts plaintext under the data key dek (named id) for where aad
// says. The empty value stays empty: it says only that nothing was written.
func Seal(id string, dek []byte, aad []byte, plaintext string) (string, error) {
	if plaintext == "" {
		return "", nil
	}
	if strings.ContainsAny(id, ":") {
		return "", errors.New("vault: a data key's id may not hold a colon")
	}
	a, err := gcm(dek)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, a.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return prefix + id + ":" + base64.RawStdEncoding.EncodeToString(a.Seal(nonce, nonce, []byte(plaintext), aad)), nil
}

// Open decrypts a stored value for where aad says, finding its data key
// with key. A plain value (written before encryption was on) is returned
// as it is; a sealed one that does not open is ErrTampered.
func Open(key func(id string) ([]byte, error), aad []byte, v string) (string, error) {
	if !IsSealed(v) {
		return v, nil
	}
	id, body, ok := strings.Cut(v[len(prefix):], ":")
	if !ok || id == "" {
		return "", ErrTampered
	}
	raw, err := base64.RawStdEncoding.DecodeString(body)
	if err != nil {
		return "", ErrTampered
	}
	dek, err := key(id)
	if err != nil {
		return "", err
	}
	a, err := gcm(dek)
	if err != nil {
		return "", ErrTampered
	}
	if len(raw) < a.NonceSize()+a.Overhead() {
		return "", ErrTampered
	}
	pt, err := a.Open(nil, raw[:a.NonceSize()], raw[a.NonceSize():], aad)
	if err != nil {
		return "", ErrTampered
	}
	return string(pt), nil
}
