// Package password hashes and verifies user passwords with Argon2id, applies
// the password policy (length, common passwords, personal information), and
// makes recovery codes for two-factor sign-in.
//
// Hashes are stored in the PHC string format used by the Argon2 reference
// implementation:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// with salt and hash in standard base64 without padding.
//
// Stored hashes are treated as untrusted input: Verify rejects malformed
// strings with an error and refuses parameters beyond fixed bounds, so a
// tampered hash cannot make the server spend unbounded memory or time.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Current Argon2id parameters, the OWASP Password Storage Cheat Sheet
// minimum: 19 MiB of memory, 2 iterations, 1 degree of parallelism.
const (
	argonMemoryKiB uint32 = 19 * 1024
	argonTime      uint32 = 2
	argonThreads   uint8  = 1
	argonKeyLen    uint32 = 32
	argonSaltLen          = 16
)

// ErrMalformedHash is wrapped by the error Verify returns for a stored hash
// it cannot parse or will not compute.
var ErrMalformedHash = errors.New("password: malformed or unsupported hash")

// params are the Argon2id cost parameters of one hash.
type params struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
}

var currentParams = params{memory: argonMemoryKiB, time: argonTime, threads: argonThreads}

// limits bounds what a stored hash may ask Verify to compute.
type limits struct {
	maxMemory  uint32 // KiB
	maxTime    uint32
	maxThreads uint8
	minSalt    int // bytes
	maxSalt    int
	minKey     int // bytes
	maxKey     int
}

// verifyLimits are the bounds used in production. At the maximum a single
// verification uses 1 GiB of memory for 10 passes: expensive, but finite.
var verifyLimits = limits{
	maxMemory:  1 << 20, // 1 GiB in KiB
	maxTime:    10,
	maxThreads: 16,
	minSalt:    8,
	maxSalt:    64,
	minKey:     16,
	maxKey:     64,
}

// maxEncodedLen bounds the length of a stored hash Verify will look at. The
// longest acceptable string is well under 300 bytes.
const maxEncodedLen = 512

// decoded is a parsed PHC string.
type decoded struct {
	p    params
	salt []byte
	key  []byte
}

// Hash returns an Argon2id hash of plain in PHC string format, using a fresh
// 16-byte random salt and the current parameters. It does not apply the
// password policy: call Check first when setting a password.
func Hash(plain string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: reading random salt: %w", err)
	}
	key := argon2.IDKey([]byte(plain), salt, currentParams.time, currentParams.memory, currentParams.threads, argonKeyLen)
	return encode(currentParams, salt, key), nil
}

// Verify reports whether plain matches the stored hash encoded. A mismatch
// is (false, nil). A malformed or unsupported hash, or one whose parameters
// are out of bounds, is (false, err) with err wrapping ErrMalformedHash; it
// should be logged, as it means the stored data is damaged or tampered with.
func Verify(plain, encoded string) (ok bool, err error) {
	return verify(plain, encoded, &verifyLimits)
}

func verify(plain, encoded string, lim *limits) (bool, error) {
	d, err := decode(encoded, lim)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(plain), d.salt, d.p.time, d.p.memory, d.p.threads, uint32(len(d.key)))
	return subtle.ConstantTimeCompare(key, d.key) == 1, nil
}

// NeedsRehash reports whether encoded was made with parameters (cost, salt
// or key length) other than the current ones, so the password should be
// hashed again with Hash after a successful Verify. It also reports true for
// a string it cannot parse.
func NeedsRehash(encoded string) bool {
	d, err := decode(encoded, &verifyLimits)
	if err != nil {
		return true
	}
	return d.p != currentParams || len(d.salt) != argonSaltLen || len(d.key) != int(argonKeyLen)
}

// dummyHash is a well-formed hash with the current parameters and random
// salt and key, which no password is known to match. Building it costs no
// hashing, so the first VerifyDummy is no slower than the rest.
var dummyHash = sync.OnceValue(func() string {
	salt := make([]byte, argonSaltLen)
	key := make([]byte, argonKeyLen)
	// crypto/rand.Read never fails (it crashes the program instead).
	_, _ = rand.Read(salt)
	_, _ = rand.Read(key)
	return encode(currentParams, salt, key)
})

// VerifyDummy does the same work as Verify against a hash with the current
// parameters, and discards the result. Call it when a sign-in names an
// account that does not exist, so that the response takes as long as it does
// for a real account and does not reveal which accounts exist.
func VerifyDummy(plain string) {
	_, _ = Verify(plain, dummyHash())
}

// encode formats a PHC string the way the Argon2 reference implementation
// does.
func encode(p params, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformedHash}, args...)...)
}

// decode parses and bounds-checks a PHC string. It accepts exactly the form
// encode produces: algorithm argon2id, version 19, parameters m, t and p in
// that order as canonical decimals, and canonical unpadded standard base64.
func decode(encoded string, lim *limits) (*decoded, error) {
	if encoded == "" {
		return nil, malformed("empty")
	}
	if len(encoded) > maxEncodedLen {
		return nil, malformed("too long (%d bytes)", len(encoded))
	}
	// "" $argon2id $v=19 $m=..,t=..,p=.. $salt $hash
	fields := strings.Split(encoded, "$")
	if len(fields) != 6 || fields[0] != "" {
		return nil, malformed("want 5 $-separated fields")
	}
	if fields[1] != "argon2id" {
		return nil, malformed("unsupported algorithm")
	}
	v, ok := strings.CutPrefix(fields[2], "v=")
	if !ok {
		return nil, malformed("missing version")
	}
	if ver, err := parseDecimal(v); err != nil || ver != argon2.Version {
		return nil, malformed("unsupported version")
	}

	ps := strings.Split(fields[3], ",")
	if len(ps) != 3 {
		return nil, malformed("want parameters m, t and p")
	}
	var vals [3]uint32
	for i, name := range [3]string{"m=", "t=", "p="} {
		s, ok := strings.CutPrefix(ps[i], name)
		if !ok {
			return nil, malformed("want parameters m, t and p")
		}
		n, err := parseDecimal(s)
		if err != nil {
			return nil, malformed("parameter %s%v", name, err)
		}
		vals[i] = n
	}
	m, t, p := vals[0], vals[1], vals[2]
	switch {
	case t < 1 || t > lim.maxTime:
		return nil, malformed("time %d out of range 1..%d", t, lim.maxTime)
	case p < 1 || p > uint32(lim.maxThreads):
		return nil, malformed("parallelism %d out of range 1..%d", p, lim.maxThreads)
	case m < 8*p || m > lim.maxMemory: // RFC 9106: m >= 8*p KiB
		return nil, malformed("memory %d KiB out of range %d..%d", m, 8*p, lim.maxMemory)
	}

	salt, err := decodeBase64(fields[4])
	if err != nil {
		return nil, malformed("salt: %v", err)
	}
	if len(salt) < lim.minSalt || len(salt) > lim.maxSalt {
		return nil, malformed("salt length %d out of range %d..%d", len(salt), lim.minSalt, lim.maxSalt)
	}
	key, err := decodeBase64(fields[5])
	if err != nil {
		return nil, malformed("hash: %v", err)
	}
	if len(key) < lim.minKey || len(key) > lim.maxKey {
		return nil, malformed("hash length %d out of range %d..%d", len(key), lim.minKey, lim.maxKey)
	}
	return &decoded{p: params{memory: m, time: t, threads: uint8(p)}, salt: salt, key: key}, nil
}

// parseDecimal parses a PHC decimal: ASCII digits only, no sign, no leading
// zero (except "0" itself), fitting in 32 bits.
func parseDecimal(s string) (uint32, error) {
	if s == "" || len(s) > 10 {
		return 0, errors.New("bad number")
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, errors.New("leading zero")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, errors.New("bad number")
		}
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0, errors.New("number out of range")
	}
	return uint32(n), nil
}

// decodeBase64 decodes canonical unpadded standard base64. The standard
// library decoder silently skips CR and LF, so the alphabet is checked
// first; Strict rejects non-zero trailing bits.
func decodeBase64(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/') {
			return nil, errors.New("invalid base64 character")
		}
	}
	b, err := base64.RawStdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, errors.New("invalid base64")
	}
	return b, nil
}
