package password

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// Vectors made with the Argon2 reference implementation (Debian package
// argon2, 0~20190702), e.g.
//
//	echo -n 'correct horse battery staple' | argon2 somesaltsomesalt -id -t 2 -k 19456 -p 1 -l 32 -e
const (
	refPlain   = "correct horse battery staple"
	refCurrent = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y"
	// echo -n password | argon2 somesalt -id -t 1 -m 10 -p 2 -l 16 -e
	refSmall = "$argon2id$v=19$m=1024,t=1,p=2$c29tZXNhbHQ$kqTSytP/UI6rezpTc0SOiw"
)

var phcRE = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashVerifyRoundTrip(t *testing.T) {
	plain := "a perfectly reasonable passphrase"
	h, err := Hash(plain)
	if err != nil {
		t.Fatal(err)
	}
	if !phcRE.MatchString(h) {
		t.Fatalf("Hash = %q, not in the expected PHC format", h)
	}
	ok, err := Verify(plain, h)
	if err != nil || !ok {
		t.Fatalf("Verify(right password) = %v, %v; want true, nil", ok, err)
	}
	for _, wrong := range []string{"", "A perfectly reasonable passphrase", plain + " ", plain[:len(plain)-1]} {
		ok, err := Verify(wrong, h)
		if err != nil || ok {
			t.Errorf("Verify(%q) = %v, %v; want false, nil", wrong, ok, err)
		}
	}
	h2, err := Hash(plain)
	if err != nil {
		t.Fatal(err)
	}
	if h == h2 {
		t.Error("two hashes of the same password are equal: salt not random")
	}
}

func TestVerifyReferenceVectors(t *testing.T) {
	for _, tc := range []struct{ plain, encoded string }{
		{refPlain, refCurrent},
		{"password", refSmall},
	} {
		ok, err := Verify(tc.plain, tc.encoded)
		if err != nil || !ok {
			t.Errorf("Verify(%q, %q) = %v, %v; want true, nil", tc.plain, tc.encoded, ok, err)
		}
		ok, err = Verify(tc.plain+"x", tc.encoded)
		if err != nil || ok {
			t.Errorf("Verify(wrong, %q) = %v, %v; want false, nil", tc.encoded, ok, err)
		}
		// Our encoder must produce exactly what the reference one does.
		d, err := decode(tc.encoded, &verifyLimits)
		if err != nil {
			t.Fatal(err)
		}
		if got := encode(d.p, d.salt, d.key); got != tc.encoded {
			t.Errorf("encode(decode(%q)) = %q", tc.encoded, got)
		}
	}
}

func TestVerifyMalformed(t *testing.T) {
	const salt, key = "c29tZXNhbHQ", "kqTSytP/UI6rezpTc0SOiw"
	for _, tc := range []struct{ name, encoded string }{
		{"empty", ""},
		{"garbage", "not a hash"},
		{"dollars only", "$$$$$"},
		{"plaintext", "password"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", "$argon2i$v=19$m=1024,t=1,p=2$" + salt + "$" + key},
		{"argon2d", "$argon2d$v=19$m=1024,t=1,p=2$" + salt + "$" + key},
		{"upper case algorithm", "$ARGON2ID$v=19$m=1024,t=1,p=2$" + salt + "$" + key},
		{"no leading dollar", "argon2id$v=19$m=1024,t=1,p=2$" + salt + "$" + key},
		{"trailing dollar", refSmall + "$"},
		{"missing hash", "$argon2id$v=19$m=1024,t=1,p=2$" + salt},
		{"missing version", "$argon2id$m=1024,t=1,p=2$" + salt + "$" + key},
		{"version 16", "$argon2id$v=16$m=1024,t=1,p=2$" + salt + "$" + key},
		{"version leading zero", "$argon2id$v=019$m=1024,t=1,p=2$" + salt + "$" + key},
		{"params out of order", "$argon2id$v=19$t=1,m=1024,p=2$" + salt + "$" + key},
		{"params missing", "$argon2id$v=19$m=1024,t=1$" + salt + "$" + key},
		{"extra param", "$argon2id$v=19$m=1024,t=1,p=2,keyid=x$" + salt + "$" + key},
		{"params with spaces", "$argon2id$v=19$m=1024, t=1, p=2$" + salt + "$" + key},
		{"negative param", "$argon2id$v=19$m=-1024,t=1,p=2$" + salt + "$" + key},
		{"plus sign", "$argon2id$v=19$m=+1024,t=1,p=2$" + salt + "$" + key},
		{"leading zero", "$argon2id$v=19$m=01024,t=1,p=2$" + salt + "$" + key},
		{"hex param", "$argon2id$v=19$m=0x400,t=1,p=2$" + salt + "$" + key},
		{"empty param", "$argon2id$v=19$m=,t=1,p=2$" + salt + "$" + key},
		{"time zero", "$argon2id$v=19$m=1024,t=0,p=2$" + salt + "$" + key},
		{"threads zero", "$argon2id$v=19$m=1024,t=1,p=0$" + salt + "$" + key},
		{"memory below 8p", "$argon2id$v=19$m=15,t=1,p=2$" + salt + "$" + key},
		{"absurd memory", "$argon2id$v=19$m=4294967295,t=1,p=2$" + salt + "$" + key},
		{"memory over 1 GiB", "$argon2id$v=19$m=1048577,t=1,p=1$" + salt + "$" + key},
		{"memory overflows uint32", "$argon2id$v=19$m=4294967296,t=1,p=1$" + salt + "$" + key},
		{"huge memory", "$argon2id$v=19$m=99999999999999999999,t=1,p=1$" + salt + "$" + key},
		{"absurd time", "$argon2id$v=19$m=1024,t=4294967295,p=1$" + salt + "$" + key},
		{"time 11", "$argon2id$v=19$m=1024,t=11,p=1$" + salt + "$" + key},
		{"threads 17", "$argon2id$v=19$m=1024,t=1,p=17$" + salt + "$" + key},
		{"threads overflow uint8", "$argon2id$v=19$m=4096,t=1,p=257$" + salt + "$" + key},
		{"bad base64 salt", "$argon2id$v=19$m=1024,t=1,p=2$c29tZX*hbHQ$" + key},
		{"bad base64 hash", "$argon2id$v=19$m=1024,t=1,p=2$" + salt + "$kqTSytP/UI6rezpTc0SOi!"},
		{"padded base64", "$argon2id$v=19$m=1024,t=1,p=2$" + salt + "$" + key + "=="},
		{"url-safe base64", "$argon2id$v=19$m=1024,t=1,p=2$" + salt + "$kqTSytP_UI6rezpTc0SOiw"},
		{"newline in base64", "$argon2id$v=19$m=1024,t=1,p=2$" + salt + "$kqTSytP/UI6r\nezpTc0SOiw"},
		{"non-canonical base64", "$argon2id$v=19$m=1024,t=1,p=2$" + salt + "$kqTSytP/UI6rezpTc0SOix"},
		{"impossible base64 length", "$argon2id$v=19$m=1024,t=1,p=2$" + salt + "$kqTSytP/UI6rezpTc0SOiwAAA"},
		{"salt too short", "$argon2id$v=19$m=1024,t=1,p=2$c29tZQ$" + key},
		{"salt too long", "$argon2id$v=19$m=1024,t=1,p=2$" + strings.Repeat("A", 88) + "$" + key},
		{"hash too short", "$argon2id$v=19$m=1024,t=1,p=2$" + salt + "$kqTSytP/UI6rezpTc0SO"},
		{"hash too long", "$argon2id$v=19$m=1024,t=1,p=2$" + salt + "$" + strings.Repeat("A", 88)},
		{"empty hash", "$argon2id$v=19$m=1024,t=1,p=2$" + salt + "$"},
		{"very long", "$argon2id$v=19$m=1024,t=1,p=2$" + salt + "$" + strings.Repeat("A", 100000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := Verify("password", tc.encoded)
			if ok || err == nil {
				t.Fatalf("Verify(%q) = %v, %v; want false and an error", tc.encoded, ok, err)
			}
			if !errors.Is(err, ErrMalformedHash) {
				t.Errorf("error %v does not wrap ErrMalformedHash", err)
			}
			if !NeedsRehash(tc.encoded) {
				t.Error("NeedsRehash(malformed) = false")
			}
		})
	}
}

func TestDecodeBounds(t *testing.T) {
	const tail = "$c29tZXNhbHQ$kqTSytP/UI6rezpTc0SOiw"
	// The most expensive hash accepted: parsed, not computed.
	if _, err := decode("$argon2id$v=19$m=1048576,t=10,p=16"+tail, &verifyLimits); err != nil {
		t.Errorf("decode at the limits: %v", err)
	}
	if _, err := decode("$argon2id$v=19$m=16,t=1,p=2"+tail, &verifyLimits); err != nil {
		t.Errorf("decode of m=8p: %v", err)
	}
}

func TestNeedsRehash(t *testing.T) {
	h, err := Hash("some long passphrase here")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		encoded string
		want    bool
	}{
		{h, false},
		{refCurrent, false},
		{refSmall, true}, // weaker parameters
		{strings.Replace(refCurrent, "t=2", "t=3", 1), true},
		{strings.Replace(refCurrent, "m=19456", "m=65536", 1), true},
		{strings.Replace(refCurrent, "p=1", "p=2", 1), true},
		{"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$kqTSytP/UI6rezpTc0SOiw", true},           // 16-byte key
		{"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y", true}, // 8-byte salt
		{"", true},
		{"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", true},
	} {
		if got := NeedsRehash(tc.encoded); got != tc.want {
			t.Errorf("NeedsRehash(%q) = %v, want %v", tc.encoded, got, tc.want)
		}
	}
}

func TestVerifyDummy(t *testing.T) {
	// VerifyDummy costs the same as a real Verify because it verifies
	// against a well-formed hash with the current parameters.
	d, err := decode(dummyHash(), &verifyLimits)
	if err != nil {
		t.Fatalf("dummy hash does not parse: %v", err)
	}
	if NeedsRehash(dummyHash()) || d.p != currentParams {
		t.Errorf("dummy hash %q does not use the current parameters", dummyHash())
	}
	if dummyHash() != dummyHash() {
		t.Error("dummy hash changes between calls")
	}
	VerifyDummy("anything at all")
}

func TestCheck(t *testing.T) {
	email := "alice.smith@example.org"
	name := "Alice Smith"
	for _, tc := range []struct {
		name    string
		plain   string
		context []string
		want    Reason // "" for no error
	}{
		{"empty", "", nil, ReasonEmpty},
		{"too short", "short", nil, ReasonTooShort},
		{"11 characters", "violet ferr", nil, ReasonTooShort},
		{"exactly 12", "violet ferry", nil, ""},
		{"12 with spaces not trimmed", "  violet fer", nil, ""},
		{"unicode 11 runes, 22 bytes", strings.Repeat("é", 11), nil, ReasonTooShort},
		{"unicode 12 runes", "żółć gęśl ja", nil, ""},
		{"emoji counted as runes", strings.Repeat("🦊", 11), nil, ReasonTooShort},
		{"exactly 256", strings.Repeat("abcdefghijklmnop", 16), nil, ""},
		{"too long", strings.Repeat("abcdefghijklmnop", 16) + "q", nil, ReasonTooLong},
		{"common", "password1234", nil, ReasonCommon},
		{"common any case", "PassWord1234", nil, ReasonCommon},
		{"common keyboard walk", "qwertyuiopas", nil, ReasonCommon},
		{"common digits", "123456789012", nil, ReasonCommon},
		{"common with year", "Liverpool2025", nil, ReasonCommon},
		{"common with spaces", "password 1234", nil, ReasonCommon},
		{"contains email local part", "Alice.Smith rides a bicycle", []string{email, name}, ReasonPersonal},
		{"contains email address", "xx alice.smith@example.org xx", []string{email}, ReasonPersonal},
		{"contains surname", "the smithy by the river", []string{email, name}, ReasonPersonal},
		{"contains name any case", "my name is ALICE and i row", []string{name}, ReasonPersonal},
		{"equals name", "Bartholomew Jones", []string{"Bartholomew Jones"}, ReasonPersonal},
		{"email domain not used", "example lighthouse keeper", []string{email}, ""},
		{"short context ignored", "al wu rides bicycles", []string{"Al", "Wu"}, ""},
		{"short parts but long whole", "hello al wu, how are you", []string{"Al Wu"}, ReasonPersonal},
		{"no context", "Alice.Smith rides a bicycle", nil, ""},
		{"empty context", "violet ferry", []string{"", "   "}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.plain, tc.context...)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Check(%q) = %v, want nil", tc.plain, err)
				}
				return
			}
			var pe *PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("Check(%q) = %v, want a *PolicyError", tc.plain, err)
			}
			if pe.Reason != tc.want {
				t.Errorf("Check(%q) reason = %q (%q), want %q", tc.plain, pe.Reason, pe.Message, tc.want)
			}
			if pe.Message == "" || pe.Error() != pe.Message {
				t.Errorf("bad message %q", pe.Message)
			}
		})
	}
}

func TestCheckMessages(t *testing.T) {
	for plain, want := range map[string]string{
		"":                       "Enter a password",
		"tiny":                   "Password must be 12 characters or more",
		strings.Repeat("x", 257): "Password must be 256 characters or fewer",
		"password1234":           "Password is too common: choose one that is harder to guess",
	} {
		if err := Check(plain); err == nil || err.Error() != want {
			t.Errorf("Check(%.20q) = %v, want %q", plain, err, want)
		}
	}
	if err := Check("bobby tables forever", "bobby@example.org"); err == nil || err.Error() != "Password must not contain your email address or name" {
		t.Errorf("Check(personal) = %v", err)
	}
}

func TestCommonList(t *testing.T) {
	if !strings.HasPrefix(commonText, "#") {
		t.Error("common.txt does not start with a header comment")
	}
	var prev string
	n := 0
	for line := range strings.Lines(commonText) {
		line = strings.TrimSuffix(line, "\n")
		if strings.HasPrefix(line, "#") {
			if n > 0 {
				t.Fatalf("comment after entries: %q", line)
			}
			continue
		}
		n++
		if line != strings.ToLower(line) {
			t.Errorf("entry %q is not lowercase", line)
		}
		if c := utf8.RuneCountInString(line); c < MinLength || c > MaxLength {
			t.Errorf("entry %q has %d characters; only %d..%d can matter", line, c, MinLength, MaxLength)
		}
		if n > 1 && line <= prev {
			t.Errorf("entries not sorted and unique: %q after %q", line, prev)
		}
		prev = line
	}
	if n < 10000 || n > 100000 {
		t.Errorf("common.txt has %d entries, want 10,000..100,000", n)
	}
	if got := len(commonPasswords()); got != n {
		t.Errorf("loaded %d entries, file has %d", got, n)
	}
}

var recoveryRE = regexp.MustCompile(`^[abcdefghjkmnpqrstuvwxyz23456789]{5}-[abcdefghjkmnpqrstuvwxyz23456789]{5}$`)

func TestNewRecoveryCodes(t *testing.T) {
	seen := map[string]bool{}
	chars := map[rune]int{}
	for range 20 {
		codes, err := NewRecoveryCodes(50)
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != 50 {
			t.Fatalf("got %d codes, want 50", len(codes))
		}
		for _, c := range codes {
			if !recoveryRE.MatchString(c) {
				t.Fatalf("code %q not in the form abcde-fghjk", c)
			}
			if seen[c] {
				t.Fatalf("duplicate code %q", c)
			}
			seen[c] = true
			for _, r := range NormaliseRecoveryCode(c) {
				chars[r]++
			}
		}
	}
	// 10,000 characters: every symbol is expected about 320 times.
	for _, r := range recoveryAlphabet {
		if chars[r] < 150 {
			t.Errorf("symbol %q appeared %d times in 10,000; generator looks biased", r, chars[r])
		}
	}
	for _, n := range []int{0, -1, 101} {
		if _, err := NewRecoveryCodes(n); err == nil {
			t.Errorf("NewRecoveryCodes(%d) did not fail", n)
		}
	}
}

func TestRecoveryCodeNormaliseAndHash(t *testing.T) {
	sum := sha256.Sum256([]byte("abcdefghjk"))
	want := hex.EncodeToString(sum[:])
	for _, in := range []string{
		"abcde-fghjk",
		"ABCDE-FGHJK",
		"abcdefghjk",
		" abcde fghjk ",
		"ab-cd-ef-gh-jk",
		"abcde\u2013fghjk", // en dash from copy and paste
		"\tAbCdE - fGhJk\n",
	} {
		if got := NormaliseRecoveryCode(in); got != "abcdefghjk" {
			t.Errorf("NormaliseRecoveryCode(%q) = %q", in, got)
		}
		if got := HashRecoveryCode(in); got != want {
			t.Errorf("HashRecoveryCode(%q) = %s, want %s", in, got, want)
		}
	}
	if HashRecoveryCode("abcde-fghjm") == want {
		t.Error("different codes hash the same")
	}
}

// fuzzLimits keep the fuzzer from spending its time hashing: only cheap
// parameters get as far as Argon2.
var fuzzLimits = limits{maxMemory: 256, maxTime: 2, maxThreads: 4, minSalt: 8, maxSalt: 64, minKey: 16, maxKey: 64}

func FuzzVerify(f *testing.F) {
	f.Add("password", refSmall)
	f.Add("password", "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$kqTSytP/UI6rezpTc0SOiw")
	f.Add("password", "$argon2id$v=19$m=256,t=2,p=4$c29tZXNhbHRzb21lc2FsdA$ISO7kkvFzh19GM8qB7patN3C3Y9HHsjlVTfEZ9T600Y")
	f.Add(refPlain, refCurrent)
	f.Add("x", "")
	f.Add("x", "$")
	f.Add("x", "$argon2id$")
	f.Add("x", "$argon2id$v=19$m=0,t=0,p=0$$")
	f.Add("x", "$argon2id$v=19$m=4294967295,t=4294967295,p=255$AAAA$AAAA")
	f.Add("x", "$argon2i$v=19$m=1024,t=1,p=2$c29tZXNhbHQ$kqTSytP/UI6rezpTc0SOiw")
	f.Add("x", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy")
	f.Add("x", "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ=$kqTSytP/UI6rezpTc0SOiw==")
	f.Fuzz(func(t *testing.T, plain, encoded string) {
		// The production parser and bounds, on arbitrary input.
		d, err := decode(encoded, &verifyLimits)
		rehash := NeedsRehash(encoded)
		if err != nil {
			if !errors.Is(err, ErrMalformedHash) || !rehash {
				t.Fatalf("decode(%q): %v, NeedsRehash %v", encoded, err, rehash)
			}
			if ok, verr := Verify(plain, encoded); ok || verr == nil {
				t.Fatalf("Verify(%q) = %v, %v after decode failed", encoded, ok, verr)
			}
			return
		}
		// Only canonical strings are accepted, so they re-encode exactly.
		if got := encode(d.p, d.salt, d.key); got != encoded {
			t.Fatalf("decode accepted non-canonical %q (re-encodes as %q)", encoded, got)
		}
		// Hash only when cheap; otherwise check that the same path, with
		// tight bounds, refuses without hashing.
		if d.p.memory <= fuzzLimits.maxMemory && d.p.time <= fuzzLimits.maxTime && d.p.threads <= fuzzLimits.maxThreads {
			if _, err := Verify(plain, encoded); err != nil {
				t.Fatalf("Verify(%q): %v after decode succeeded", encoded, err)
			}
		} else if _, err := verify(plain, encoded, &fuzzLimits); err == nil {
			t.Fatalf("verify with fuzz limits accepted %q", encoded)
		}
	})
}

func ExampleCheck() {
	err := Check("password1234")
	var pe *PolicyError
	if errors.As(err, &pe) {
		fmt.Println(pe.Message)
	}
	// Output: Password is too common: choose one that is harder to guess
}
