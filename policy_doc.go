package lantern

import (
	"fmt"
	"strings"
)

// PolicyMarkdown is the policy table written out for people, as
// docs/access.md holds it between its markers (a test keeps the two the
// same).
func PolicyMarkdown() string {
	var b strings.Builder
	b.WriteString("| resource | action | who | where |\n|---|---|---|---|\n")
	for _, r := range Policy {
		for i, g := range r.Grants {
			res, act := "", ""
			if i == 0 {
				res, act = "`"+string(r.Resource)+"`", "`"+string(r.Action)+"`"
			}
			var roles []string
			if len(g.Roles) == len(Roles) {
				roles = []string{"anyone signed in"}
			} else {
				for _, ro := range g.Roles {
					roles = append(roles, string(ro))
				}
			}
			who := strings.Join(roles, ", ")
			if len(g.Kinds) > 0 {
				var ks []string
				for _, k := range g.Kinds {
					ks = append(ks, string(k))
				}
				who += " (in " + strings.Join(ks, ", ") + ")"
			}
			var rels []string
			for _, rel := range g.Rels {
				rels = append(rels, rel.String())
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", res, act, who, strings.Join(rels, ", "))
		}
	}
	return b.String()
}
