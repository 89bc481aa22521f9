package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"lantern"
	"lantern/vault"
)

// Encryption at rest of restricted fields and two-factor secrets
// (docs/information-governance.md#encryption-at-rest). Every column sealed
// is in sealedColumns; its values are written with seal and read with open,
// bound to their table, column and row.

// sealedColumn is a column whose values are sealed, with its class of data
// (one data key each) and the column that names its row.
type sealedColumn struct {
	class, table, column, key string
}

// sealedColumns are the columns sealed at rest.
var sealedColumns = []sealedColumn{
	{"disclosure", "concerns", "disclosure_words", "id"},
	{"return-account", "return_interviews", "child_said", "id"},
	{"health", "children", "disability", "id"},
	{"intel-source", "intel_links", "source", "id"},
	{"two-factor", "users", "totp_secret", "id"},
	{"two-factor", "sessions", "pending_secret", "id_hash"},
}

func columnOf(table, column string) sealedColumn {
	for _, c := range sealedColumns {
		if c.table == table && c.column == column {
			return c
		}
	}
	panic("store: " + table + "." + column + " is not a sealed column")
}

// keyring holds the data keys, unwrapped, and the active key of each class.
type keyring struct {
	kek *vault.KEK
	mu  sync.Mutex
	// keys are every data key unwrapped so far, by id.
	keys map[string][]byte
	// active is each class's key for writing, and when it was read: a
	// rotation on another process is seen within activeFor.
	active map[string]activeKey
}

type activeKey struct {
	id   string
	read time.Time
}

// activeFor is how long a replica writes with the key it read as active.
const activeFor = 10 * time.Second

// ErrNoKEK is the error of a sealed value read without a key-encrypting key.
var ErrNoKEK = errors.New("this value is encrypted, and Lantern was started without its key-encrypting key (--kek-file)")

// dataKey is the data key id, unwrapped.
func (s *Store) dataKey(ctx context.Context, id string) ([]byte, error) {
	r := s.keys
	if r == nil {
		return nil, ErrNoKEK
	}
	r.mu.Lock()
	k, ok := r.keys[id]
	r.mu.Unlock()
	if ok {
		return k, nil
	}
	var class, kekID, wrapped string
	err := s.db.QueryRowContext(ctx, `SELECT class, kek_id, wrapped FROM data_keys WHERE id = $1`, id).Scan(&class, &kekID, &wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vault.ErrTampered
	} else if err != nil {
		return nil, err
	}
	if kekID != r.kek.ID() || wrapped == "" {
		return nil, fmt.Errorf("data key %s is wrapped by key-encrypting key %s, not this one (%s)", id, kekID, r.kek.ID())
	}
	k, err = r.kek.Unwrap(class, id, wrapped)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.keys[id] = k
	r.mu.Unlock()
	return k, nil
}

// activeDataKey is the class's data key for writing.
func (s *Store) activeDataKey(ctx context.Context, class string) (string, []byte, error) {
	r := s.keys
	now := time.Now()
	r.mu.Lock()
	a, ok := r.active[class]
	r.mu.Unlock()
	if !ok || now.Sub(a.read) >= activeFor {
		if err := s.db.QueryRowContext(ctx, `SELECT id FROM data_keys WHERE class = $1 AND retired_at IS NULL`, class).Scan(&a.id); err != nil {
			return "", nil, fmt.Errorf("the active data key of %s: %w", class, err)
		}
		a.read = now
		r.mu.Lock()
		r.active[class] = a
		r.mu.Unlock()
	}
	k, err := s.dataKey(ctx, a.id)
	return a.id, k, err
}

// openKeys starts the keyring with kek: each class gets an active data
// key if it has none (whichever replica makes it first), and the keys
// already there must be this KEK's.
func (s *Store) openKeys(ctx context.Context, kek *vault.KEK) error {
	s.keys = &keyring{kek: kek, keys: map[string][]byte{}, active: map[string]activeKey{}}
	done := map[string]bool{}
	for _, c := range sealedColumns {
		if done[c.class] {
			continue
		}
		done[c.class] = true
		dek, err := vault.NewDataKey()
		if err != nil {
			return err
		}
		id := newID()
		wrapped, err := kek.Wrap(c.class, id, dek)
		if err != nil {
			return err
		}
		if err := s.write(ctx, func(tx *tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO data_keys (id, class, kek_id, wrapped, created_at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (class) WHERE retired_at IS NULL DO NOTHING`, id, c.class, kek.ID(), wrapped, s.d.ts(s.now()))
			return err
		}); err != nil {
			return fmt.Errorf("data key of %s: %w", c.class, err)
		}
		if _, _, err := s.activeDataKey(ctx, c.class); err != nil {
			return fmt.Errorf("data key of %s: %w", c.class, err)
		}
	}
	return nil
}

// seal is the value to store in table.column of row: sealed under the
// class's active data key when Lantern has a key-encrypting key, else as
// it is.
func (s *Store) seal(ctx context.Context, table, column, row, v string) (string, error) {
	if s.keys == nil || v == "" {
		return v, nil
	}
	c := columnOf(table, column)
	id, dek, err := s.activeDataKey(ctx, c.class)
	if err != nil {
		return "", internal("data key", err)
	}
	out, err := vault.Seal(id, dek, vault.AAD(c.table, c.column, row), v)
	if err != nil {
		return "", internal("seal", err)
	}
	return out, nil
}

// open reads a stored value of table.column of row. A value that does not
// open is an error, never garbage.
func (s *Store) open(ctx context.Context, table, column, row, v string) (string, error) {
	if !vault.IsSealed(v) {
		return v, nil
	}
	c := columnOf(table, column)
	out, err := vault.Open(func(id string) ([]byte, error) { return s.dataKey(ctx, id) }, vault.AAD(c.table, c.column, row), v)
	if err != nil {
		return "", internal(fmt.Sprintf("open %s.%s of %s", table, column, row), err)
	}
	return out, nil
}

// KeyReport is what lantern keys verify and rotate found.
type KeyReport struct {
	// Sealed counts values sealed, by data key; Plain, values not sealed;
	// Failed, values that do not open (each an error).
	Sealed map[string]int `json:"sealed"`
	Plain  map[string]int `json:"plain"`
	Failed []string       `json:"failed"`
	// Moved counts values a rotation sealed again.
	Moved int `json:"moved,omitempty"`
}

func newKeyReport() *KeyReport {
	return &KeyReport{Sealed: map[string]int{}, Plain: map[string]int{}, Failed: []string{}}
}

// eachSealed walks every non-empty value of every sealed column in batches
// of n, by row id, calling fn with each batch (column, ids, values).
func (s *Store) eachSealed(ctx context.Context, n int, fn func(c sealedColumn, ids, vs []string) error) error {
	for _, c := range sealedColumns {
		after := ""
		for {
			type row struct{ id, v string }
			rows, err := collect(ctx, s.db, "sealed values", fmt.Sprintf(`SELECT %[1]s, %[2]s FROM %[3]s WHERE %[1]s > $1 AND %[2]s IS NOT NULL AND %[2]s <> ''
				ORDER BY %[1]s LIMIT %[4]d`, c.key, c.column, c.table, n), func(r scanner) (row, error) {
				var x row
				return x, r.Scan(&x.id, &x.v)
			}, after)
			if err != nil {
				return err
			}
			if len(rows) == 0 {
				break
			}
			ids, vs := make([]string, len(rows)), make([]string, len(rows))
			for i, x := range rows {
				ids[i], vs[i] = x.id, x.v
			}
			if err := fn(c, ids, vs); err != nil {
				return err
			}
			after = ids[len(ids)-1]
		}
	}
	return nil
}

// VerifyKeys opens every sealed value, counting them by data key, and the
// values not sealed; the operator's, at the command line.
func (s *Store) VerifyKeys(ctx context.Context) (*KeyReport, error) {
	if !lantern.IsSystem(ctx) {
		return nil, lantern.Errorf(lantern.EFORBIDDEN, "Only the operator verifies the keys")
	}
	rep := newKeyReport()
	err := s.eachSealed(ctx, 1000, func(c sealedColumn, ids, vs []string) error {
		for i, v := range vs {
			if !vault.IsSealed(v) {
				rep.Plain[c.table+"."+c.column]++
				continue
			}
			if _, err := s.open(ctx, c.table, c.column, ids[i], v); err != nil {
				rep.Failed = append(rep.Failed, fmt.Sprintf("%s.%s of %s: %v", c.table, c.column, ids[i], lantern.ErrorMessageOrText(err)))
				continue
			}
			rep.Sealed[vault.KeyOf(v)]++
		}
		return nil
	})
	return rep, err
}

// RotateKeys makes a new data key for every class, seals every value again
// under it (plain values too), retires the old keys and, once no value
// names one, erases its wrapped key. With next, the new data keys are
// wrapped by that key-encrypting key instead, and the store uses it from
// then on: stop the servers first, and start them with it. A value that
// does not open stops the rotation, naming it; values changed meanwhile
// are sealed by their writer under the new key and left alone.
func (s *Store) RotateKeys(ctx context.Context, next *vault.KEK) (*KeyReport, error) {
	if !lantern.IsSystem(ctx) {
		return nil, lantern.Errorf(lantern.EFORBIDDEN, "Only the operator rotates the keys")
	}
	if s.keys == nil {
		return nil, ErrNoKEK
	}
	classes := map[string]bool{}
	for _, c := range sealedColumns {
		classes[c.class] = true
	}
	newKEK := s.keys.kek
	if next != nil {
		newKEK = next
	}
	now := s.d.ts(s.now())
	fresh := map[string][2]any{} // class: id, dek
	for class := range classes {
		dek, err := vault.NewDataKey()
		if err != nil {
			return nil, err
		}
		id := newID()
		wrapped, err := newKEK.Wrap(class, id, dek)
		if err != nil {
			return nil, err
		}
		err = s.write(ctx, func(tx *tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE data_keys SET retired_at = $1 WHERE class = $2 AND retired_at IS NULL`, now, class); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO data_keys (id, class, kek_id, wrapped, created_at) VALUES ($1, $2, $3, $4, $5)`,
				id, class, newKEK.ID(), wrapped, now)
			return err
		})
		if err != nil {
			return nil, internal("new data key", err)
		}
		fresh[class] = [2]any{id, dek}
		s.keys.mu.Lock()
		s.keys.keys[id] = dek
		s.keys.active[class] = activeKey{id: id, read: time.Now()}
		s.keys.mu.Unlock()
	}
	rep := newKeyReport()
	err := s.eachSealed(ctx, 1000, func(c sealedColumn, ids, vs []string) error {
		k := fresh[c.class]
		id, dek := k[0].(string), k[1].([]byte)
		type change struct{ id, old, new string }
		var changes []change
		for i, v := range vs {
			if vault.KeyOf(v) == id {
				continue
			}
			pt, err := s.open(ctx, c.table, c.column, ids[i], v)
			if err != nil {
				return err
			}
			sealed, err := vault.Seal(id, dek, vault.AAD(c.table, c.column, ids[i]), pt)
			if err != nil {
				return err
			}
			changes = append(changes, change{ids[i], v, sealed})
		}
		if len(changes) == 0 {
			return nil
		}
		return s.write(ctx, func(tx *tx) error {
			for _, ch := range changes {
				res, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %s SET %s = $1 WHERE %s = $2 AND %s = $3`, c.table, c.column, c.key, c.column),
					ch.new, ch.id, ch.old)
				if err != nil {
					return internal("reseal", err)
				}
				if n, _ := res.RowsAffected(); n == 1 {
					rep.Moved++
				}
			}
			return nil
		})
	})
	if err != nil {
		return rep, err
	}
	if next != nil {
		s.keys.kek = next
	}
	// Erase the wrapped keys no value names any more.
	check, err := s.VerifyKeys(ctx)
	if err != nil {
		return rep, err
	}
	retired, err := collect(ctx, s.db, "retired keys", `SELECT id FROM data_keys WHERE retired_at IS NOT NULL AND wrapped <> ''`,
		func(r scanner) (string, error) {
			var id string
			return id, r.Scan(&id)
		})
	if err != nil {
		return rep, err
	}
	for _, id := range retired {
		if check.Sealed[id] == 0 {
			if err := s.write(ctx, func(tx *tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE data_keys SET wrapped = '' WHERE id = $1`, id)
				return err
			}); err != nil {
				return rep, internal("erase key", err)
			}
			s.keys.mu.Lock()
			delete(s.keys.keys, id)
			s.keys.mu.Unlock()
		}
	}
	rep.Sealed, rep.Plain, rep.Failed = check.Sealed, check.Plain, check.Failed
	return rep, nil
}
