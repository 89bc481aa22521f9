package resolve

import "strings"

// variantGroups are given names that are one name to a person recording
// them: spellings, transliterations and the usual short forms. A name may
// be in more than one group (Jon is John's and Jonathan's). Spellings that
// Jaro-Winkler already scores highly are listed where they matter most
// (Mohammed) so that they compare as variants, not merely as similar.
const variantGroups = `
mohammed muhammad mohamed mohamad mohammad muhammed mohamud mohammod mohd muhamed mo
ahmed ahmad ahmet ahmedi|ali aly|omar umar omer|osman usman othman uthman|bilal belal|imran imraan|zain zayn zane
ibrahim ebrahim ibraheem|yusuf yousuf yusef youssef yousef|hassan hasan hasaan|hussein hussain husain husein hossein
abdirahman abdulrahman abdurahman abdirahmaan abdi|abdullah abdalla abdulla|abdi abdy|mustafa mustapha mostafa
aisha ayesha aysha aishah ayesa|fatima fatimah fatma fatema|maryam mariam miriam|amina aminah ameena|hodan hodon
khadija khadijah khadeeja|zainab zaynab zeinab|safiya safia saffiya
gurpreet gurprit|harpreet harprit|jaswinder jasvinder|manjit manjeet|sukhwinder sukhvinder|amarjit amarjeet
kulwinder kulvinder|rajinder rajindar|baljit baljeet|jaspreet jasprit|navdeep navdip|parminder parmindar
aleksander alexander aleksandr alex olek alek sasha|piotr peter pete|pawel paul|krzysztof christopher chris kris
tomasz thomas tom tommy|jakub jacob kuba jake|michal michael mike micheal mick|wojciech wojtek|lukasz lucas lukas
mateusz matthew matt|katarzyna kasia katherine catherine kathryn kate katie cathy|malgorzata gosia margaret
agnieszka agnes|joanna ioana asia|marek mark marc
ion ioan ionut john|andrei andrew andy|mihai michael|gheorghe george|vasile vasili|cristian christian|florin florian
niamh neve neave|siobhan shivaun|aoife eefa|ciaran kieran kieron keiran|sean shaun shawn|padraig patrick paddy pat
eoin owen|seamus shamus james|colm colum|caoimhe keeva|grainne grania
dafydd david dai dave davey|rhys reece rees reese|ieuan ifan evan|gethin geth|iwan ivan|sion sean|bryn brin
iain ian|callum calum|alasdair alistair alastair ali|hamish james|ruaridh rory|eilidh ailie
kai kye ky|stephen steven stephan steve stevie|jon john jonny johnny jack|jon jonathan jonny|jamie james jim jimmy
william will bill billy liam|robert rob bob bobby robbie|richard rich richie|daniel dan danny|anthony antony tony
joseph joe joey|christopher chris|nicholas nick nicky|samuel sam sammy|benjamin ben benny|edward ed eddie ted
leroy lee roy|dwayne duane dwain|tyrone tyron|marlon marlen|delroy delroi|jermaine germaine jermain
shaquille shaq|desmond des dez|winston winnie|errol eroll|clive clyve|trevor trev
azad azaad|shwan shvan|rebwar rebwaar|karwan kawan|hemin hemen|dilan dylan dillon|rezan rizan|soran sorran
sarah sara|hannah hanna|rebecca becky rebekah|elizabeth liz lizzie beth|leanne lianne|danielle dani
chantelle shantelle|kerry keri kerri|natasha tasha|jessica jess|abigail abi abby|victoria vicky tori
`

// canonical maps a normalised given name in a group to the first name of
// its first group, for blocking: Niamh and Neve, whose phonetic keys differ,
// are filed under one key.
var canonical = map[string]string{}

// variantOf maps a normalised given name to the groups it is in.
var variantOf = func() map[string][]uint16 {
	m := map[string][]uint16{}
	g := uint16(0)
	for _, line := range strings.Split(variantGroups, "\n") {
		for _, group := range strings.Split(line, "|") {
			names := strings.Fields(group)
			if len(names) < 2 {
				continue
			}
			g++
			for _, n := range names {
				m[n] = append(m[n], g)
				if _, ok := canonical[n]; !ok {
					canonical[n] = names[0]
				}
			}
		}
	}
	return m
}()

// canonicalGiven is the name a given name is filed under for blocking.
func canonicalGiven(n string) string {
	if c, ok := canonical[n]; ok {
		return c
	}
	return n
}

// Variants reports whether two normalised given names are variants of one
// name (Mohammed and Muhammad, Niamh and Neve). A name is not a variant of
// itself: that is an exact match.
func Variants(a, b string) bool {
	if a == b {
		return false
	}
	return sharedGroup(variantOf[a], variantOf[b])
}

func sharedGroup(ga, gb []uint16) bool {
	for _, x := range ga {
		for _, y := range gb {
			if x == y {
				return true
			}
		}
	}
	return false
}
