package audit

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	flog "github.com/transparency-dev/formats/log"
	fnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/merkle/proof"
	"golang.org/x/mod/sumdb/note"
)

// Cosigning by a witness (C2SP tlog-witness, tlog-cosignature): another
// agency runs a witness (lantern witness serve) that keeps the latest
// checkpoint of Lantern's log it has seen, and cosigns a new checkpoint
// only with a proof that the log it commits to grew from that one. A
// rewritten log can then carry no checkpoint the witness cosigned after
// the rewrite: the council alone cannot rewrite what the police have seen.

// WitnessState is what a witness keeps of the log: the latest checkpoint
// it cosigned.
type WitnessState struct {
	Size uint64 `json:"size"`
	Root []byte `json:"root"`
}

// WitnessError is a refused add-checkpoint, with the HTTP status the
// protocol gives it and, for a conflict, the size the witness holds.
type WitnessError struct {
	Status int
	Reason string
	Size   uint64 // for 409: the witness's size
}

func (e *WitnessError) Error() string { return e.Reason }

// MaxAddCheckpoint bounds an add-checkpoint request's body: a checkpoint
// of a few lines and a proof of at most 64 hashes.
const MaxAddCheckpoint = 16 << 10

// GenerateWitnessKey makes a witness's key pair, named (a name for the
// agency, such as police.example.org): the private key for its file and
// the verifier key, which the log's operator gives to Lantern.
func GenerateWitnessKey(name string) (skey, vkey string, err error) {
	skey, vkey, err = note.GenerateKey(rand.Reader, name)
	if err != nil {
		return "", "", err
	}
	// The verifier key of cosignatures (algorithm cosignature/v1).
	vkey, err = fnote.VKeyToCosignatureV1(vkey)
	return skey, vkey, err
}

// WitnessName is the name in a witness's cosignature key, which must be
// one.
func WitnessName(vkey string) (string, error) {
	v, err := fnote.NewVerifierForCosignatureV1(strings.TrimSpace(vkey))
	if err != nil {
		return "", errors.New("not a witness's cosignature key (lantern witness keygen prints one)")
	}
	return v.Name(), nil
}

// VerifierOf is the verifier of the log's own signing key, from the key
// file's text: the log checks its own signature on what a witness returns.
func VerifierOf(skey string) (note.Verifier, error) {
	// PRIVATE+KEY+name+hash+base64(algorithm 1, the 32-byte seed)
	parts := strings.SplitN(strings.TrimSpace(skey), "+", 5)
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return nil, errors.New("not a signing key")
	}
	b, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(b) != 1+ed25519.SeedSize || b[0] != 1 {
		return nil, errors.New("not an Ed25519 signing key")
	}
	vkey, err := note.NewEd25519VerifierKey(parts[2], ed25519.NewKeyFromSeed(b[1:]).Public().(ed25519.PublicKey))
	if err != nil {
		return nil, err
	}
	return note.NewVerifier(vkey)
}

// AddCheckpointBody is an add-checkpoint request: the size the log
// believes the witness holds, the consistency proof from it, and the
// signed checkpoint.
func AddCheckpointBody(old uint64, hashes [][]byte, checkpoint string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "old %d\n", old)
	for _, h := range hashes {
		b.WriteString(base64.StdEncoding.EncodeToString(h) + "\n")
	}
	b.WriteString("\n")
	b.WriteString(checkpoint)
	return b.Bytes()
}

// AddCheckpoint is the witness's rule for one request, against its state:
// the checkpoint must be signed by the log's key (else 403), be of the
// log it witnesses (404), start from the size it holds (409, with its
// size), not shrink (400), and come with a valid consistency proof from
// the checkpoint it holds (422). It returns the new state, to be stored
// durably before anything is answered, and the cosignature line(s).
func AddCheckpoint(st WitnessState, logKey note.Verifier, cosigner note.Signer, body []byte) (WitnessState, []byte, error) {
	bad := func(status int, format string, args ...any) (WitnessState, []byte, error) {
		return st, nil, &WitnessError{Status: status, Reason: fmt.Sprintf(format, args...), Size: st.Size}
	}
	if len(body) > MaxAddCheckpoint {
		return bad(http.StatusRequestEntityTooLarge, "the request is over %d bytes", MaxAddCheckpoint)
	}
	head, signed, ok := bytes.Cut(body, []byte("\n\n"))
	if !ok {
		return bad(http.StatusBadRequest, "no blank line between the proof and the checkpoint")
	}
	lines := strings.Split(string(head), "\n")
	oldText, found := strings.CutPrefix(lines[0], "old ")
	old, err := strconv.ParseUint(oldText, 10, 64)
	if !found || err != nil || oldText != strconv.FormatUint(old, 10) {
		return bad(http.StatusBadRequest, "the first line is not \"old\" and a size")
	}
	if len(lines)-1 > 64 {
		return bad(http.StatusBadRequest, "a consistency proof has at most 64 hashes")
	}
	hashes := make([][]byte, 0, len(lines)-1)
	for i, l := range lines[1:] {
		h, err := base64.StdEncoding.DecodeString(l)
		if err != nil || len(h) != 32 {
			return bad(http.StatusBadRequest, "proof line %d is not the base64 of 32 bytes", i+1)
		}
		hashes = append(hashes, h)
	}
	n, err := note.Open(signed, note.VerifierList(logKey))
	if err != nil {
		return bad(http.StatusForbidden, "the checkpoint is not signed by the log's key: %v", err)
	}
	cp, err := readCheckpoint(n.Text)
	if err != nil {
		return bad(http.StatusBadRequest, "the checkpoint: %v", err)
	}
	if cp.Origin != Origin {
		return bad(http.StatusNotFound, "this witness does not witness the log %q", cp.Origin)
	}
	if old != st.Size {
		return bad(http.StatusConflict, "this witness holds a checkpoint of %d entries, not %d", st.Size, old)
	}
	if cp.Size < old {
		return bad(http.StatusBadRequest, "the checkpoint (%d entries) is smaller than the one held (%d)", cp.Size, old)
	}
	if old == 0 {
		if len(hashes) != 0 {
			return bad(http.StatusUnprocessableEntity, "from an empty log the proof is empty")
		}
	} else if err := proof.VerifyConsistency(Hasher, old, cp.Size, hashes, st.Root, cp.Hash); err != nil {
		return bad(http.StatusUnprocessableEntity, "the log of %d entries is not a prefix of the log of %d: %v", old, cp.Size, err)
	}
	cosigned, err := note.Sign(&note.Note{Text: n.Text}, cosigner)
	if err != nil {
		return bad(http.StatusInternalServerError, "cosigning: %v", err)
	}
	// The answer is the cosignature's line alone.
	_, sig, _ := bytes.Cut(cosigned, []byte("\n\n"))
	return WitnessState{Size: cp.Size, Root: cp.Hash}, sig, nil
}

// readCheckpoint reads a checkpoint's text (origin, size, root), whose
// signature was checked already.
func readCheckpoint(text string) (*flog.Checkpoint, error) {
	var cp flog.Checkpoint
	if _, err := cp.Unmarshal([]byte(text)); err != nil {
		return nil, err
	}
	return &cp, nil
}

// Cosigned is a checkpoint of the log with a witness's cosignature, as the
// log keeps it: the checkpoint signed by the log, with the witness's line
// added among its signatures.
func Cosigned(checkpoint string, cosig []byte) string {
	return strings.TrimRight(checkpoint, "\n") + "\n" + strings.TrimRight(string(cosig), "\n") + "\n"
}

// CheckCosigned checks a cosigned checkpoint: the log's signature under
// logKey, and the witness's under its cosignature verifier key. It
// returns the checkpoint's size and root, and when it was cosigned.
func CheckCosigned(cosigned string, logKey note.Verifier, witnessKey string) (uint64, []byte, time.Time, error) {
	wv, err := fnote.NewVerifierForCosignatureV1(strings.TrimSpace(witnessKey))
	if err != nil {
		return 0, nil, time.Time{}, fmt.Errorf("the witness's key: %w", err)
	}
	n, err := note.Open([]byte(cosigned), note.VerifierList(logKey, wv))
	if err != nil {
		return 0, nil, time.Time{}, fmt.Errorf("the cosigned checkpoint: %w", err)
	}
	var byLog, byWitness bool
	var at time.Time
	for _, s := range n.Sigs {
		switch {
		case s.Name == logKey.Name() && s.Hash == logKey.KeyHash():
			byLog = true
		case s.Name == wv.Name() && s.Hash == wv.KeyHash():
			byWitness = true
			at, _ = fnote.CoSigV1Timestamp(s)
		}
	}
	if !byLog || !byWitness {
		return 0, nil, time.Time{}, fmt.Errorf("the checkpoint is not signed by both the log (%v) and the witness %s (%v)", byLog, wv.Name(), byWitness)
	}
	cp, err := readCheckpoint(n.Text)
	if err != nil {
		return 0, nil, time.Time{}, err
	}
	if cp.Origin != Origin {
		return 0, nil, time.Time{}, fmt.Errorf("the checkpoint is of the log %q", cp.Origin)
	}
	return cp.Size, cp.Hash, at, nil
}

// ReadWitnessAnswer reads a witness's answer to add-checkpoint: the
// cosignature line on 200, the witness's size on 409, else the reason.
func ReadWitnessAnswer(status int, body []byte) ([]byte, error) {
	switch status {
	case http.StatusOK:
		if !bytes.HasPrefix(body, []byte("— ")) {
			return nil, errors.New("the witness's answer is not a signature line")
		}
		return body, nil
	case http.StatusConflict:
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Scan()
		size, err := strconv.ParseUint(strings.TrimSpace(sc.Text()), 10, 64)
		if err != nil {
			return nil, &WitnessError{Status: status, Reason: "a conflict with no size"}
		}
		return nil, &WitnessError{Status: status, Reason: fmt.Sprintf("the witness holds %d entries", size), Size: size}
	default:
		return nil, &WitnessError{Status: status, Reason: fmt.Sprintf("the witness refused (%d): %s", status, strings.TrimSpace(string(body[:min(len(body), 200)])))}
	}
}
