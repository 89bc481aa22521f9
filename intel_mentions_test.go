package lantern

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// found is a mention in short: type and value (with the platform or
// address where there is one).
func found(ms []Mention) []string {
	var out []string
	for _, m := range ms {
		s := string(m.Type) + ":" + m.Value
		if m.Platform != "" {
			s += "@" + m.Platform
		}
		if m.Address != "" && m.Address != m.Value {
			s += "/" + m.Address
		}
		out = append(out, s)
	}
	return out
}

func TestMentions(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"the issue's concern", "Maisie got into a silver Astra, WX19 ?XK, driven by a man she calls Dee, who texts her from 07700 900123; they went to the Chicken Shack on Mill Lane.",
			[]string{"vehicle:WX19?XK", "person:Dee", "phone:+447700900123", "place:Chicken Shack/Mill Lane"}},
		{"every plate format", "Cars seen: AB12 CDE, then A123 BCD, an old ABC 123D and a Northern Irish AXZ 1234.",
			[]string{"vehicle:AB12CDE", "vehicle:A123BCD", "vehicle:ABC123D", "vehicle:AXZ1234"}},
		{"partial plates", "Only part of the plate: FN6? ?BX, and later AB?? CDE.",
			[]string{"vehicle:FN6??BX", "vehicle:AB??CDE"}},
		{"current plate in lower case and without a space", "the car was wx19axk, she thinks", []string{"vehicle:WX19AXK"}},
		{"a dateless plate needs a cue", "Reg K 1 on a black Range Rover. He lives at number 12 B block.", []string{"vehicle:K1"}},
		{"postcodes are places, not plates", "Found at S2 4QT, then LS11 5DT and SW1A 1AA.",
			[]string{"place:S2 4QT", "place:LS11 5DT", "place:SW1A 1AA"}},
		{"dates and times are not plates", "On 30 NOV 2026 at 10 PM, and 12TH DEC at 1930 HRS, then MAY 12; at 19:30 on 12/11/2026 and 2026-11-30.", nil},
		{"phones in UK forms", "Calls from +44 (0)7700 900456, 0044 7700 900789, (0114) 496 0123 and 020 7946 0018.",
			[]string{"phone:+447700900456", "phone:+447700900789", "phone:+441144960123", "phone:+442079460018"}},
		{"numbers that are not phones", "Case 0123456, ref 01/12/2026, 07 12 2026, and 0777 12.", nil},
		{"handles with their platforms", "He added her on Snapchat (@lil_kay.99) and messages on Instagram as bigman_22. Email kay@example.org.",
			[]string{"account:lil_kay.99@Snapchat", "account:bigman_22@Instagram"}},
		{"a handle with no platform near", "She follows @tyreece_x.", []string{"account:tyreece_x"}},
		{"nicknames", "An older male known as Shorty, who calls himself Big T, and another she calls \"Kane\". 'I'm fine,' she said; Dee's car.",
			[]string{"person:Shorty", "person:Big T", "person:Kane"}},
		{"speech in quotes is not a name", "She said \"leave me alone\" and 'he is my boyfriend'.", nil},
		{"a name after named", "A man named Kyle Brennan picked her up.", []string{"person:Kyle Brennan"}},
		{"a man called", "Found with a man called Kane; she called Mum.", []string{"person:Kane"}},
		{"streets", "Last seen on Mill Lane near 14 Canal Street.", []string{"place:Mill Lane", "place:14 Canal Street"}},
		{"the same thing twice is one mention", "07700 900123 again: 07700900123, WX19 AXK and wx19axk.", []string{"phone:+447700900123", "vehicle:WX19AXK"}},
		{"nothing", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := found(Mentions(tc.text))
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("Mentions(%q)\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

// Each mention's text is the text's own, at its place.
func TestMentionsSpans(t *testing.T) {
	text := "Silver Astra WX19 ?XK, Dee on 07700 900123, @dee_99 on Snapchat, at the Chicken Shack."
	for _, m := range Mentions(text) {
		if text[m.Start:m.End] != m.Text {
			t.Errorf("%+v: the span reads %q", m, text[m.Start:m.End])
		}
	}
}

// A long text is read only to MaxMentionText, and suggests at most
// MaxMentions things.
func TestMentionsBounded(t *testing.T) {
	var b strings.Builder
	for i := range 5000 {
		b.WriteString("07700 9")
		b.WriteString(strings.Repeat("0", 5-len(itoaMention(i))) + itoaMention(i))
		b.WriteString(" ")
	}
	ms := Mentions(b.String())
	if len(ms) != MaxMentions {
		t.Fatalf("%d mentions, want %d", len(ms), MaxMentions)
	}
	late := strings.Repeat("x ", MaxMentionText) + "WX19 AXK"
	if ms := Mentions(late); len(ms) != 0 {
		t.Errorf("read past the cap: %v", found(ms))
	}
}

func itoaMention(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}

func FuzzMentions(f *testing.F) {
	for _, s := range []string{"got into a silver Astra, WX19 ?XK, driven by a man she calls Dee, who texts her from 07700 900123",
		"S2 4QT reg K 1 @snap on Snapchat", "known as 'Big T' +44 (0)114 496 0123", "‘Kane’ “Dee” '", "(0(0(0 +44 0044"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms := Mentions(s)
		if len(ms) > MaxMentions {
			t.Fatalf("%d mentions", len(ms))
		}
		for _, m := range ms {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End || s[m.Start:m.End] != m.Text {
				t.Fatalf("bad span %+v", m)
			}
			if !utf8.ValidString(m.Value) && utf8.ValidString(s) {
				t.Fatalf("value not UTF-8: %+v", m)
			}
			switch m.Type {
			case EntityVehicle:
				if v, _, ok := NormaliseVRM(m.Value); !ok || v != m.Value {
					t.Fatalf("registration %+v does not normalise to itself", m)
				}
			case EntityPhone:
				if e, ok := NormalisePhone(m.Value); !ok || e != m.Value || !ukNumber(e) {
					t.Fatalf("number %+v", m)
				}
			case EntityPerson, EntityPlace, EntityAccount:
				if strings.TrimSpace(m.Value) == "" {
					t.Fatalf("empty %+v", m)
				}
			default:
				t.Fatalf("type %+v", m)
			}
		}
	})
}

func BenchmarkMentions(b *testing.B) {
	text := strings.Repeat("Maisie got into a silver Astra, WX19 ?XK, driven by a man she calls Dee, who texts her from 07700 900123; they went to the Chicken Shack on Mill Lane. ", 100)
	for b.Loop() {
		Mentions(text)
	}
}
