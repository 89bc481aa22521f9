package figures

import (
	"slices"
	"strings"
	"unicode/utf8"

	"lantern"
)

// strictness orders the profiles by how much they hide: a share may use
// the area's configured profile or a stricter one, never a looser.
var strictness = map[Profile]int{Internal: 0, DfE: 1, NHS: 2, ONS: 3}

// Rounds reports whether p rounds every published count: two outputs
// under it can be set side by side without giving away the difference.
func (p Profile) Rounds() bool { return p == NHS || p == ONS }

// MaxRecipient bounds the recipient's description.
const MaxRecipient = 200

// CheckShare is the rule for sharing figures outside the area: a purpose
// and a recipient; never internal (exact counts stay in the area); never
// looser than the area's configured profile, whatever is asked; and a
// period overlapping one shared before refused unless this output rounds
// every count, since the difference of two exact tables over overlapping
// periods counts the children of the part they do not share.
func CheckShare(in *lantern.FigureShare, configured Profile, earlier []*lantern.FigureShare) error {
	var p lantern.Problems
	in.Recipient = strings.TrimSpace(in.Recipient)
	if !slices.Contains(lantern.FigureSharePurposes, in.Purpose) {
		p.Add("purpose", "Choose why the figures are shared: "+strings.Join(lantern.FigureSharePurposes, ", "))
	}
	switch {
	case in.Recipient == "":
		p.Add("recipient", "Enter who the figures are for")
	case utf8.RuneCountInString(in.Recipient) > MaxRecipient:
		p.Add("recipient", "Who the figures are for must be 200 characters or fewer")
	}
	prof := Profile(in.Profile)
	switch {
	case prof == Internal:
		p.Add("profile", "Figures shared outside the area are never exact: use "+string(configured)+" or a stricter profile")
	case !prof.Valid():
		p.Add("profile", "Profile must be one of dfe, nhs, ons-10-5")
	case strictness[prof] < strictness[configured]:
		p.Add("profile", "The area shares figures under "+string(configured)+" or a stricter profile, not "+in.Profile)
	}
	if len(p) == 0 && !prof.Rounds() {
		for _, e := range earlier {
			if in.Overlaps(e) {
				msg := "This period overlaps figures shared on " + e.CreatedAt.In(lantern.London).Format("2 January 2006") + " (" + e.From.String() + " to " + e.To.String() +
					"): share it under a profile that rounds every count (nhs or ons-10-5), or choose a period that does not overlap"
				p.Add("from", msg)
				p.Add("to", msg)
				break
			}
		}
	}
	return p.Err()
}
