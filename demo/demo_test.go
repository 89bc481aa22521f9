package demo_test

import (
	"context"
	"errors"
	"testing"

	"lantern"
	"lantern/demo"
	"lantern/store/storetest"
)

// The demonstration loads into an empty store, once; never beside other
// data, where its published password would be a way in.
func TestLoad(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, d, nil)
			creds, err := demo.Load(ctx, s)
			if err != nil || len(creds) == 0 {
				t.Fatalf("into an empty store: %d sign-ins, %v", len(creds), err)
			}
			again, err := demo.Load(ctx, s)
			if err != nil || len(again) != len(creds) {
				t.Errorf("again: %d sign-ins, %v", len(again), err)
			}

			real := storetest.Open(t, d, nil)
			if _, err := real.CreateAgency(lantern.NewSystemContext(ctx, "test"), lantern.AgencyInput{Name: "Realtown Council", Kind: lantern.KindChildrensSocialCare}); err != nil {
				t.Fatal(err)
			}
			if _, err := demo.Load(ctx, real); !errors.Is(err, demo.ErrNotEmpty) {
				t.Errorf("into a store with an agency: %v, want refused", err)
			}
			if us, err := real.Users(lantern.NewSystemContext(ctx, "test")); err != nil || len(us) != 0 {
				t.Errorf("the refused demonstration left %d users (%v)", len(us), err)
			}
		})
	}
}
