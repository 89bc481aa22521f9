package demo

// The demonstration's people. Given names fit each child's recorded
// gender; family names, streets, schools and places are invented, so that
// nobody real is ever shown.

// FemaleNames, MaleNames and NeutralNames are the given names the
// demonstration uses for girls, boys and non-binary young people.
var (
	FemaleNames = []string{"Amira", "Chloe", "Ella", "Freya", "Grace", "Holly", "Isla", "Jasmine", "Kayla", "Keira", "Lacey", "Leah",
		"Maya", "Megan", "Mia", "Niamh", "Olivia", "Poppy", "Ruby", "Skye", "Sophie", "Tia", "Zara", "Aaliyah"}
	MaleNames = []string{"Ben", "Bilal", "Callum", "Connor", "Daniel", "Ethan", "Finn", "Harvey", "Jack", "Jayden", "Kai", "Kyle",
		"Leon", "Liam", "Mason", "Noah", "Reece", "Rhys", "Tyler"}
	NeutralNames = []string{"Charlie", "Riley", "Rowan"}
)

// familyNames are invented.
var familyNames = []string{"Demoton", "Samplewood", "Exampleby", "Mockridge", "Testwell", "Placeholme", "Fictley", "Dummington",
	"Trialford", "Pretendale", "Notreal", "Madeupson", "Inventon", "Storyfield", "Figmore", "Fablewick"}

// streets are invented streets of the fictional town of Northmoor.
var streets = []string{"Larkspur Row", "Tannery Walk", "Quillon Street", "Brackenfold Close", "Hollin Terrace", "Wickmere Road",
	"Copperbeech Avenue", "Fernlow Court", "Sallowgate", "Marrowfield Drive", "Pennyrigg Lane", "Osier Way"}

// schools are invented.
var schools = []string{"Riverside Academy (fictional)", "Northmoor High School (fictional)", "St Aldwyn's College (fictional)",
	"Brackenfold Pupil Referral Unit (fictional)"}

// The pattern: one adult, one car and one takeaway named, in free text, in
// the concerns of four girls recorded by different agencies over months.
// All invented: the registration is partial and written as a witness gave
// it, with a character no plate has.
const (
	PatternAdult     = `a man of about 25 known as "Dee" (street name "D-Money")`
	PatternCar       = `a silver Vauxhall Astra, partial registration "WX19 ?XK"`
	PatternTakeaway  = "Chicken Shack on Mill Lane (fictional)"
	placingAuthority = "Southfield Council (fictional)"
)
