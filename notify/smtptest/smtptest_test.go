package smtptest_test

import (
	"fmt"
	"testing"

	"lantern/notify/smtptest"
)

// A test that ends at once must not leave its server's clean-up waiting:
// the server may not have begun to serve yet when it is closed.
func TestStartAndEndAtOnce(t *testing.T) {
	for i := range 300 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if s := smtptest.Start(t, smtptest.Options{}); s.Addr == "" {
				t.Fatal("no address")
			}
		})
	}
}
