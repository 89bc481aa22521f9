package lantern

import "time"

// FigureShare is a table of the partnership's figures sent outside the
// area (to a neighbouring board, in a board paper, in answer to a freedom
// of information request): the period and area it counts, the disclosure
// control profile it was protected by, and the SHA-256 of exactly what was
// sent, kept with it (docs/figures.md#shared-outputs).
type FigureShare struct {
	ID        string    `json:"id"`
	From      Date      `json:"from"`
	To        Date      `json:"to"`
	Area      *string   `json:"area,omitempty"` // nil: every area the store holds
	Profile   string    `json:"profile"`
	Purpose   string    `json:"purpose"`
	Recipient string    `json:"recipient"`
	SHA256    string    `json:"sha256"`
	Bytes     int       `json:"bytes"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	// Output is what was sent: the CSV, byte for byte.
	Output []byte `json:"-"`
}

// Why figures are shared.
const (
	SharePurposeBoard      = "neighbouring-board"
	SharePurposeBoardPaper = "board-paper"
	SharePurposeFOI        = "freedom-of-information"
	SharePurposeOther      = "other"
)

// FigureSharePurposes lists them, in the order shown.
var FigureSharePurposes = []string{SharePurposeBoard, SharePurposeBoardPaper, SharePurposeFOI, SharePurposeOther}

// FigureSharePurposeLabel says a purpose in words.
func FigureSharePurposeLabel(p string) string {
	return labelOf(p, map[string]string{SharePurposeBoard: "To a neighbouring safeguarding partnership",
		SharePurposeBoardPaper: "In a board paper", SharePurposeFOI: "In answer to a freedom of information request",
		SharePurposeOther: "Other sharing outside the area"})
}

// Overlaps reports whether two shares count some of the same children:
// their periods overlap and they count the same area, or one counts every
// area.
func (a *FigureShare) Overlaps(b *FigureShare) bool {
	if a.To.Before(b.From) || b.To.Before(a.From) {
		return false
	}
	return a.Area == nil || b.Area == nil || *a.Area == *b.Area
}
