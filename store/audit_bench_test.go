package store

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"lantern/audit"
)

// BenchmarkReadAuditCommit commits groups of read audit entries as the read
// auditor does, one group at a time with nobody else on the machine: the
// difference between group sizes is the cost of an entry, the rest the cost
// of a commit (on SQLite mostly its fsync). Run with:
//
//	go test -run '^$' -bench ReadAuditCommit -benchtime 2000x ./store/
func BenchmarkReadAuditCommit(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	os.Chmod(dir, 0o700)
	s, err := Open(ctx, Config{DataDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 8, 32} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				batch := make([]readReq, n)
				for i := range batch {
					batch[i].es = []*audit.Entry{{At: time.Now(), UserID: "01KBENCHUSER00000000000000", AgencyID: "01KBENCHAGENCY000000000000",
						IP: "192.0.2.1", Action: "child.read", Entity: "child", EntityID: "01KBENCHCHILD0000000000000",
						ChildID: "01KBENCHCHILD0000000000000", Why: "GET /api/v1/children/{id}"}}
				}
				if err := s.reads.commit(batch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
