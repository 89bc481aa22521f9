package audit

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	flog "github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
)

// The verifiable log (docs/audit.md): every entry's hash is a leaf of an
// RFC 6962 Merkle tree, integrated in order by one sequencer, whose size
// and root are signed as a checkpoint (C2SP tlog-checkpoint, a signed note
// as Go's checksum database uses) with an Ed25519 key kept in a file
// outside the database. An inclusion proof then shows an entry is in the
// log a signed checkpoint commits to, checked offline with the public key
// alone; a checkpoint kept elsewhere (a witness file) shows the log was not
// rewritten with its head.

// Origin names Lantern's audit log in its checkpoints.
const Origin = "lantern/audit"

// KeyName is the signing key's name in its notes.
const KeyName = "lantern-audit"

// Hasher is the tree's hash: RFC 6962's, SHA-256.
var Hasher = rfc6962.DefaultHasher

// LeafHash is the tree's leaf for an entry: the RFC 6962 leaf hash of the
// entry's chain hash (which covers all it says).
func LeafHash(entryHash string) ([]byte, error) {
	b, err := hex.DecodeString(entryHash)
	if err != nil || len(b) != 32 {
		return nil, fmt.Errorf("an entry's hash %q is not 64 hexadecimal digits", entryHash)
	}
	return Hasher.HashLeaf(b), nil
}

// GenerateKey makes a signing key: the private key as a note signer key
// (to keep in a file, mode 0600) and the public key's 32 bytes.
func GenerateKey() (skey string, pub ed25519.PublicKey, err error) {
	skey, vkey, err := note.GenerateKey(rand.Reader, KeyName)
	if err != nil {
		return "", nil, err
	}
	pub, err = publicOf(vkey)
	return skey, pub, err
}

// publicOf is the Ed25519 key in a note verifier key (name+hash+base64 of
// the algorithm byte 1 and the key).
func publicOf(vkey string) (ed25519.PublicKey, error) {
	parts := strings.SplitN(vkey, "+", 3) // name+hash+key; base64 may hold "+"
	if len(parts) != 3 {
		return nil, errors.New("not a verifier key")
	}
	b, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(b) != 1+ed25519.PublicKeySize || b[0] != 1 {
		return nil, errors.New("not an Ed25519 verifier key")
	}
	return ed25519.PublicKey(b[1:]), nil
}

// LoadSignerFrom is the signer of a key as its file holds it.
func LoadSignerFrom(skey string) (note.Signer, error) {
	return note.NewSigner(strings.TrimSpace(skey))
}

// LoadSigner reads the signing key from its file.
func LoadSigner(path string) (note.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the audit key file: %w", err)
	}
	s, err := LoadSignerFrom(string(b))
	if err != nil {
		return nil, fmt.Errorf("the audit key file %s holds no signing key (make one with lantern audit keygen): %w", path, err)
	}
	return s, nil
}

// NewKeyVerifier makes a checkpoint verifier from a public key: the base64
// keygen printed, or a note verifier key.
func NewKeyVerifier(key string) (note.Verifier, error) {
	key = strings.TrimSpace(key)
	if strings.Contains(key, "+") && strings.HasPrefix(key, KeyName+"+") {
		return note.NewVerifier(key)
	}
	b, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("the public key is not the base64 of 32 bytes, as lantern audit keygen printed it")
	}
	vkey, err := note.NewEd25519VerifierKey(KeyName, ed25519.PublicKey(b))
	if err != nil {
		return nil, err
	}
	return note.NewVerifier(vkey)
}

// SignCheckpoint signs a tree's size and root as a checkpoint note.
func SignCheckpoint(s note.Signer, size uint64, root []byte) (string, error) {
	cp := flog.Checkpoint{Origin: Origin, Size: size, Hash: root}
	b, err := note.Sign(&note.Note{Text: string(cp.Marshal())}, s)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// OpenCheckpoint checks a checkpoint's signature and reads it.
func OpenCheckpoint(signed string, v note.Verifier) (*flog.Checkpoint, error) {
	cp, _, _, err := flog.ParseCheckpoint([]byte(signed), Origin, v)
	if err != nil {
		return nil, fmt.Errorf("the checkpoint is not one signed by this key for %s: %w", Origin, err)
	}
	return cp, nil
}

// Proof is an entry's inclusion proof in a signed checkpoint, as
// lantern audit prove prints it.
type Proof struct {
	Seq        int64    `json:"seq"`
	EntryHash  string   `json:"entry_hash"` // the entry's chain hash, the leaf's data
	LeafIndex  uint64   `json:"leaf_index"`
	TreeSize   uint64   `json:"tree_size"`
	Root       string   `json:"root"` // hex
	Hashes     []string `json:"proof"`
	Checkpoint string   `json:"checkpoint"` // the signed note
}

// Check verifies a proof offline: the checkpoint's signature under v, that
// it commits to the proof's size and root, and the path from the entry's
// leaf to that root.
func (p *Proof) Check(v note.Verifier) error {
	cp, err := OpenCheckpoint(p.Checkpoint, v)
	if err != nil {
		return err
	}
	root, err := hex.DecodeString(p.Root)
	if err != nil || cp.Size != p.TreeSize || string(cp.Hash) != string(root) {
		return fmt.Errorf("the proof's tree (size %d, root %s) is not the checkpoint's (size %d, root %x)", p.TreeSize, p.Root, cp.Size, cp.Hash)
	}
	if p.LeafIndex != uint64(p.Seq-1) {
		return fmt.Errorf("entry %d is leaf %d, not %d", p.Seq, p.Seq-1, p.LeafIndex)
	}
	leaf, err := LeafHash(p.EntryHash)
	if err != nil {
		return err
	}
	hashes := make([][]byte, len(p.Hashes))
	for i, h := range p.Hashes {
		if hashes[i], err = hex.DecodeString(h); err != nil || len(hashes[i]) != 32 {
			return fmt.Errorf("proof hash %d is not 64 hexadecimal digits", i)
		}
	}
	if err := proof.VerifyInclusion(Hasher, p.LeafIndex, p.TreeSize, leaf, hashes, cp.Hash); err != nil {
		return fmt.Errorf("entry %d is not in the tree the checkpoint signs: %w", p.Seq, err)
	}
	return nil
}

// Witnessed is a checkpoint kept in a witness file: a line of JSON each,
// appended by the sequencer as it signs (--audit-witness), on storage
// other than the database's.
type Witnessed struct {
	At         time.Time `json:"at"`
	Checkpoint string    `json:"checkpoint"`
}

// ReadWitness reads a witness file's checkpoints: their sizes and roots as
// their text says (each signature is checked when a key is given).
func ReadWitness(r io.Reader, v note.Verifier) ([]flog.Checkpoint, error) {
	var out []flog.Checkpoint
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var w Witnessed
		if err := json.Unmarshal(sc.Bytes(), &w); err != nil {
			return nil, fmt.Errorf("witness line %d is not a checkpoint as the server writes them: %w", line, err)
		}
		var cp flog.Checkpoint
		if v != nil {
			c, err := OpenCheckpoint(w.Checkpoint, v)
			if err != nil {
				return nil, fmt.Errorf("witness line %d: %w", line, err)
			}
			cp = *c
		} else {
			text, _, _ := strings.Cut(w.Checkpoint, "\n\n")
			if _, err := cp.Unmarshal([]byte(text + "\n")); err != nil || cp.Origin != Origin {
				return nil, fmt.Errorf("witness line %d is not a checkpoint of %s", line, Origin)
			}
		}
		out = append(out, cp)
	}
	return out, sc.Err()
}

// Consistency proves that the log a checkpoint signs only grew into the
// log a later one signs, as lantern audit consistency prints it.
type Consistency struct {
	From   string   `json:"from"` // the earlier checkpoint, signed
	To     string   `json:"to"`   // the later one
	Hashes []string `json:"consistency"`
}

// Check verifies a consistency proof offline: both checkpoints' signatures
// under v, and the path from the earlier root to the later.
func (c *Consistency) Check(v note.Verifier) error {
	a, err := OpenCheckpoint(c.From, v)
	if err != nil {
		return fmt.Errorf("from: %w", err)
	}
	b, err := OpenCheckpoint(c.To, v)
	if err != nil {
		return fmt.Errorf("to: %w", err)
	}
	hashes := make([][]byte, len(c.Hashes))
	for i, h := range c.Hashes {
		if hashes[i], err = hex.DecodeString(h); err != nil || len(hashes[i]) != 32 {
			return fmt.Errorf("consistency hash %d is not 64 hexadecimal digits", i)
		}
	}
	if err := proof.VerifyConsistency(Hasher, a.Size, b.Size, hashes, a.Hash, b.Hash); err != nil {
		return fmt.Errorf("the log of %d entries is not a prefix of the log of %d: %w", a.Size, b.Size, err)
	}
	return nil
}
