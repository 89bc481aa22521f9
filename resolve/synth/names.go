package synth

import "strings"

// The name origins, with the share of people of each. Every name is a
// common given or family name, or made up of parts (Ash+worth); none is a
// real person's.
var origins = []struct {
	name  string
	share float64
}{
	{"english", 0.38}, {"irish", 0.06}, {"welsh", 0.05}, {"scottish", 0.06},
	{"south-asian-muslim", 0.12}, {"sikh", 0.05}, {"polish", 0.07}, {"romanian", 0.05},
	{"somali", 0.04}, {"kurdish", 0.04}, {"caribbean", 0.08},
}

// Origins lists the name origins.
func Origins() []string {
	out := make([]string, len(origins))
	for i, o := range origins {
		out[i] = o.name
	}
	return out
}

// A name list: groups separated by |, spellings of one name by spaces, the
// usual spelling first; a group's nickname after a colon. Earlier groups are
// drawn more often.
type nameSet struct {
	male, female, family string
}

var nameSets = map[string]nameSet{
	"english": {
		male: `Jack Jak:Jacko|James Jaymes:Jim|Thomas Tomas:Tom|Daniel Danial:Danny|Joshua Joshuah:Josh|Ryan Rian|
Liam Lyam|Connor Conor Conner|Callum Calum|Jordan Jordon|Lewis Louis|Bradley Bradly:Brad|Kyle Kyal|Jamie Jaime|
Aaron Aron|Luke Luc|Adam Addam|Ben Benn|Matthew Mathew:Matt|Michael Micheal:Mikey|Stephen Steven Stephan:Steve|
Mark Marc|Paul Pawl|Lee Leigh|Craig Kraig|Dean Deane|Wayne Wain|Darren Daren|Scott Scot|Shane Shayne|Kai Kye|
Jayden Jaden Jaiden:Jay|Tyler Tyla|Charlie Charley|Harry Harri|George Georgie|Jon John Jonny|Nathan Nathen:Nate|
Kieran Kieron|Reece Rees Reese|Mason Mayson|Alfie Alfy|Billy Billie|Dylan Dillon|Ashley Ashleigh:Ash|Karl Carl|
Gary Garry|Anthony Antony:Tony|Christopher Christoper:Chris|Richard Richie|Robert Robbert:Rob|Andrew Andy|Peter Pete`,
		female: `Jessica Jesica:Jess|Chloe Khloe|Emily Emilie|Megan Meghan|Lauren Loren|Amy Aimee|Sophie Sofie|
Charlotte Charlot|Hannah Hanna|Rebecca Rebekah:Becky|Jade Jayde|Kelly Kelley|Leanne Lianne|Danielle Daniel|
Stacey Stacy|Gemma Jemma|Kirsty Kirstie|Shannon Shanon|Courtney Kourtney|Paige Page|Tia Tiah`,
		family: `Smith Smyth|Jones|Taylor Tayler|Brown Browne|Wilson Willson|Johnson Jonson|Roberts|Robinson|Wright|
Walker|White Whyte|Edwards|Green Greene|Hall|Wood|Harris Haris|Clarke Clark|Jackson|Turner|Hill|Moore More|
Cooper|Ward|King|Baker|Harrison Harison|Watson|Morris Moris|Marshall Marshal|Cox|Mitchell Mitchel|Parker|
Bennett Bennet|Shaw|Lawrence Lawrance|Barker|Holmes|Hudson|Barnes|Chapman|Dixon|Fletcher|Kirby|Lambert`,
	},
	"irish": {
		male: `Sean Shaun Shawn|Ciaran Kieran Ciarán|Padraig Patrick:Paddy|Conor Connor|Eoin Owen|Declan Declon|
Niall Neil|Cathal Cahal|Darragh Darra|Cillian Killian|Ronan Ronin|Oisin Oisín Osheen|Fionn Finn|Seamus Shamus|
Colm Colum|Aidan Aiden|Brendan Brendon|Dermot Diarmuid`,
		female: `Niamh Neve Neave|Siobhan Shivaun|Aoife Eefa|Ciara Kiera|Caoimhe Keeva|Saoirse Seersha|Roisin Rosheen|
Orla Orlagh|Grainne Grania|Sinead Shinead|Clodagh Cloda|Eimear Emer`,
		family: `Murphy Murphey|Kelly Kelley|O'Sullivan OSullivan Sullivan|Walsh Welsh|O'Brien OBrien O'Brian|Byrne Burn|
Ryan|O'Connor OConnor|O'Neill ONeill O'Neil|Doyle|McCarthy MacCarthy|Gallagher Gallager|Doherty Docherty|
Kennedy Kenedy|Lynch|Murray|Quinn|Moore|McLoughlin McLaughlin|Carroll Carrol|Connolly Conolly|Daly Daley|
Brennan|Farrell Farrel|Keane Kean|Flanagan Flannagan|Maguire McGuire|Nolan`,
	},
	"welsh": {
		male: `Dafydd David:Dai|Rhys Reece Rees|Ieuan Ifan|Gethin Geth|Iwan Ivan|Owain Owen|Emyr Emir|Gareth Garath|
Aled Alad|Huw Hugh|Llyr Llŷr|Osian Oshan|Tomos Thomas|Cai Kai|Bryn Brin|Rhodri Rhodrie|Dylan Dylon`,
		female: `Cerys Ceris|Ffion Fion|Seren Serene|Megan Meghan|Carys Caris|Angharad Anghared|Rhiannon Rhianon|
Bethan Bethen|Eleri Elery|Nia Niah|Catrin Katrin|Lowri Lowrie|Sian Siân`,
		family: `Jones|Williams Willams|Davies Davis|Evans Evens|Thomas|Roberts|Lewis|Hughes Hughs|Morgan Morgen|
Griffiths Griffith|Owen Owens|Price Pryce|Jenkins|Lloyd Loyd|Rees Reese|Powell Powel|Pritchard|Parry|
Bowen|Howells Howell|Llewellyn Llewelyn|Vaughan Vaughn|Prosser|Bevan`,
	},
	"scottish": {
		male: `Callum Calum|Hamish Haymish|Iain Ian|Alasdair Alistair Alastair:Ally|Ruaridh Rory|Euan Ewan|Fraser Frazer|
Angus Angas|Lachlan Lachie|Kenneth Kenneth:Kenny|Craig Kraig|Duncan Dunkan|Stuart Stewart|Gregor Greg|Murdo Murdoch|
Finlay Findlay|Lewis Louis|Ross Ros`,
		female: `Eilidh Ailie|Isla Islay|Morag Morrag|Kirsty Kirstie|Fiona Fionna|Mhairi Vari|Catriona Katrina|
Shona Shonagh|Ailsa Elsa|Iona Ione`,
		family: `Campbell Cambell|Stewart Stuart|MacLeod McLeod|Fraser Frazer|MacDonald McDonald|MacKenzie McKenzie|
Robertson|Reid Reed|Murray|Paterson Patterson|Henderson|Grant|Ross|Sinclair|Cameron Camron|Morrison Morison|
Buchanan Buchannan|Ferguson Fergusson|Munro Monro|Kerr Ker|MacGregor McGregor|Drummond|Gillies Gillis`,
	},
	"south-asian-muslim": {
		male: `Mohammed Muhammad Mohamed Mohammad Muhammed:Mo|Ahmed Ahmad|Ali Aly|Imran Imraan|Bilal Belal|Usman Osman|
Hamza Hamzah|Ibrahim Ebrahim|Yusuf Yousuf Yusef|Zain Zayn|Omar Umar|Adnan Adnaan|Faisal Faysal|Kamran Kamraan|
Tariq Tarik|Asif Aasif|Shahid Shaheed|Zubair Zubayr|Irfan Irfaan|Rizwan Rizwaan|Waqas Waqqas|Nadeem Nadim|
Sajid Sajjad|Amir Aamir|Junaid Junayd|Arslan Arsalan`,
		female: `Aisha Ayesha Aysha|Fatima Fatimah|Maryam Mariam|Zainab Zaynab|Sana Sanaa|Hira Heera|Amina Aminah|
Nadia Nadiya|Saima Sayma|Rubina Robina|Shazia Shaziya|Farah Fara|Iqra Ikra`,
		family: `Khan Kahn Khaan|Ali Aly|Hussain Hussein Husain|Ahmed Ahmad|Begum Begam|Akhtar Akhter|Iqbal Ikbal|
Mahmood Mehmood Mahmud|Rahman Rehman|Shah Sha|Malik Malick|Chaudhry Chowdhury Choudhury|Butt But|Aslam Aslum|
Bibi Beebee|Rashid Rasheed|Saleem Salim|Javed Javaid|Anwar Anwer|Mirza Mirzah|Qureshi Kureshi|Siddiqui Siddiqi|
Sheikh Shaikh|Nawaz Nawaaz|Riaz Riyaz`,
	},
	"sikh": {
		male: `Gurpreet Gurprit|Harpreet Harprit|Jaswinder Jasvinder|Manjit Manjeet|Sukhwinder Sukhvinder|Amarjit Amarjeet|
Kulwinder Kulvinder|Rajinder Rajindar|Baljit Baljeet|Jaspreet Jasprit|Navdeep Navdip|Parminder Parmindar|
Harjit Harjeet|Ranjit Ranjeet|Gurdeep Gurdip|Mandeep Mandip|Sukhdev Sukhdeep|Jagjit Jagjeet|Satnam Satnaam|Kuldip Kuldeep`,
		female: `Harjinder Harjindar|Gurinder Gurindar|Manpreet Manprit|Simran Simren|Jasleen Jaslin|Navneet Navnit|
Rajwinder Rajvinder|Kiranjit Kiranjeet|Sukhjit Sukhjeet|Amrit Amrita`,
		family: `Singh Sing|Kaur Kor|Sandhu Sandu|Gill Gil|Dhillon Dhilon|Sidhu Sidu|Bains Baines|Johal Jouhal|Grewal Grewall|
Atwal Athwal|Sahota Sahotta|Bassi Bassy|Virdee Virdi|Kang Khang|Mann Man|Rai Ray|Sohal Sohel|Dhaliwal Dhalliwal|
Chahal Chahel|Hayre Hare`,
	},
	"polish": {
		male: `Piotr Peter|Pawel Paweł Pavel|Krzysztof Krzystof:Kris|Tomasz Tomas|Jakub Jacub:Kuba|Michal Michał Mikal|
Lukasz Łukasz Lucas|Mateusz Matheusz|Marek Marrek|Wojciech Wojtek|Kamil Kamill|Marcin Martin|Grzegorz Gregorz|
Dawid David|Adrian Adrien|Bartosz Bartos|Szymon Simon|Rafal Rafał|Damian Damien|Przemyslaw Przemek|Aleksander Alexander:Olek`,
		female: `Katarzyna Katarina:Kasia|Agnieszka Agniezka|Malgorzata Małgorzata:Gosia|Joanna Joana|Magdalena Magda|
Monika Monica|Natalia Natalya|Karolina Carolina|Justyna Justina|Aleksandra Alexandra:Ola|Zofia Zosia`,
		family: `Nowak Novak|Kowalski Kowalsky|Wisniewski Wiśniewski Wisnieski|Wojcik Wójcik Voycik|Kowalczyk Kowalczik|
Kaminski Kamiński Kaminsky|Lewandowski Lewandowsky|Zielinski Zieliński|Szymanski Szymański|Wozniak Woźniak|
Dabrowski Dąbrowski|Kozlowski Kozłowski|Jankowski Jankowsky|Mazur Masur|Kwiatkowski Kwiatkowsky|Krawczyk Krawczik|
Piotrowski Piotrowsky|Grabowski Grabowsky|Nowakowski Nowakowsky|Pawlowski Pawłowski|Michalski Michalsky|
Wrobel Wróbel|Jablonski Jabłoński|Majewski Majewsky`,
	},
	"romanian": {
		male: `Ion Ioan|Andrei Andrey|Mihai Mihail|Gheorghe Gheorge:Ghita|Alexandru Alexandro|Florin Florian|
Constantin Konstantin|Vasile Vasili|Cristian Christian|Marius Mariuss|Adrian Adrien|Ionut Ionuț|Bogdan Bogdon|
Catalin Cătălin|Stefan Ștefan Stephan|Daniel Danil|Nicolae Nicolai|Sorin Soren|Razvan Răzvan|Dumitru Dimitru`,
		female: `Maria Marya|Elena Ellena|Ioana Ioanna|Andreea Andrea|Mihaela Michaela|Ana Anna|Alexandra Aleksandra|
Cristina Kristina|Gabriela Gabriella|Roxana Roksana|Daniela Daniella|Florentina Florentyna`,
		family: `Popescu Popesku|Ionescu Ionesku|Popa Poppa|Pop Popp|Stan Stann|Dumitru Dimitru|Stoica Stoika|Gheorghe Gheorge|
Matei Matey|Ciobanu Ciobano|Rusu Russu|Munteanu Muntean|Constantin Konstantin|Moldovan Moldovean|Lazar Lazăr|
Florea Florya|Nistor Nestor|Radu Raddu|Marin Marrin|Tudor Tudorr|Dobre Dobrea|Barbu Barbo|Nita Niță`,
	},
	"somali": {
		male: `Mohamed Mohammed Mohamud Maxamed|Abdi Abdy|Ahmed Axmed Ahmad|Abdirahman Abdulrahman Abdurahman|Hassan Xasan Hasan|
Ali Cali|Omar Cumar|Yusuf Yuusuf|Abdullahi Abdulahi|Ibrahim Ibraahim|Mustafa Mustafe|Hussein Xuseen Husein|
Osman Cusmaan|Abdikarim Abdulkarim|Liban Libaan|Farah Faarax|Guled Guuleed|Bashir Bashiir|Jama Jaamac|Warsame Warsame`,
		female: `Fadumo Faduma Fatuma|Amina Aamina|Hodan Hodon|Khadija Khadiija|Asha Aasha|Halima Xaliimo|Sahra Saxra|
Ayan Ayaan|Hibo Hibaq|Nimco Nimo|Deqa Deeqa|Ikran Ikraan`,
		family: `Mohamed Mohammed Maxamed|Ahmed Axmed|Ali Cali|Hassan Xasan|Abdi Abdy|Omar Cumar|Hussein Xuseen|
Yusuf Yuusuf|Ibrahim Ibraahim|Osman Cusmaan|Farah Faarax|Jama Jaamac|Aden Aadan|Warsame Warsame|Abdullahi Abdulahi|
Noor Nur|Elmi Cilmi|Dualeh Ducaale|Egal Cigaal|Hersi Xirsi|Samatar Samater|Dahir Daahir|Guled Guuleed`,
	},
	"kurdish": {
		male: `Azad Azaad|Shwan Shvan|Rebwar Rebwaar|Karwan Kawan|Hemin Hemen|Dilan Dylan|Rezan Rizan|Soran Sorran|
Aram Araam|Baran Baraan|Diyar Diar|Hawre Hawri|Kawa Kava|Sherwan Shirwan|Zana Zaana|Alan Allan|Bawar Bawer|
Roj Rozh|Serhat Serhad|Hussein Husein`,
		female: `Shilan Shilaan|Rojin Rozhin|Nazdar Nasdar|Berivan Berivane|Hana Hanna|Shirin Shireen|Zhilwan Jilwan|
Dilan Dilaan|Avin Aveen|Sozdar Sozdaar`,
		family: `Ahmed Ahmad|Mohammed Muhammad|Rashid Rasheed|Karim Kareem|Hussein Hussain|Aziz Azeez|Othman Osman|
Salih Saleh|Abdullah Abdulla|Qadir Kadir|Aziz Aziiz|Mahmoud Mahmud|Faraj Farag|Hamad Hamid|Barzani Barzany|
Talabani Talabany|Zebari Zibari|Baban Babane|Amedi Amadi|Dosky Doski`,
	},
	"caribbean": {
		male: `Leroy Lee-Roy|Dwayne Duane Dwain|Tyrone Tyron|Marlon Marlen|Delroy Delroi|Jermaine Germaine Jermain|
Winston Winstone|Errol Eroll|Clive Clyve|Trevor Trevar|Desmond Desmon:Des|Andre André Andrae|Kemar Kamar|
Damion Damian|Omari Omarie|Shaquille Shaquil:Shaq|Nathaniel Nathanial|Courtney Kourtney|Devon Devan|Rohan Rohen|
Junior Junia|Curtis Curtiss|Jerome Jerrome|Marcus Markus`,
		female: `Shanice Shaniece|Keisha Kisha|Tanisha Tanesha|Latoya LaToya|Shantelle Chantelle|Kerry-Ann Kerryann|
Marcia Marsha|Beverley Beverly|Jacqueline Jackie|Yolanda Yolande|Simone Symone|Tamika Tameka`,
		family: `Campbell Cambell|Brown Browne|Williams Willams|Thomas|Johnson Jonson|Robinson|Clarke Clark|Francis Frances|
Grant|Reid Reed|Lewis|Thompson Thomson|Henry Henery|Morgan|Bailey Baily|Gordon Gorden|Stewart Stuart|Powell Powel|
Murray|Samuels Samuel|McKenzie MacKenzie|Forbes Forbs|Bennett Bennet|Wright|Anderson Andersen|Allen Allan|
Ellis Elis|Dacres Dacre|Blake Blayke|Ferguson Fergusson`,
	},
}

// Parts of rarer family names for the long tail, by origin: Ash+worth,
// Kowal+ewski. Drawn for some people instead of the common names (tailShare):
// the common names above are a few dozen per origin, where real ones run to
// thousands. Somali, Kurdish, Sikh and South Asian Muslim family names are
// left concentrated, as they are: patronymics and a few very common names.
var tails = map[string][2][]string{
	"english": {strings.Fields(`Ash Bar Black Brad Brock Cald Car Chad Cliff Crom Dal Dun East Fair Farn Gold Grim Hart Haw
Holl Horn Kirk Lang Lind Mar Mill Moss North Pen Rad Rock Sal Sand Shel Stan Stock Thorn War Wel West Whit Wick Win Wor`),
		strings.Fields(`by bury combe croft dale den ford gate ham hurst ington ley ling low more ridge shaw stead stone thorpe ton well wick worth field brook cott`)},
	"polish": {strings.Fields(`Kowal Mal Nowic Sob Grab Krol Pior Zar Wil Jur Sad Ost Bor Ryb Gor Mic Strz Czarn Bial Wiel`),
		strings.Fields(`ewski owski czyk ecki iak czak inski ski owicz`)},
	"romanian": {strings.Fields(`Pop Ion Vas Dum Mar Con Gheor Tud Nic Rad Stef Mih Cost Lup Sim`), strings.Fields(`escu eanu ache oiu ica aru`)},
	"scottish": {strings.Fields(`Mac Mc`), strings.Fields(`Intyre Allister Kinnon Farlane Dougall Innes Lennan Crae Phail Taggart Niven Quarrie`)},
	"irish":    {strings.Fields(`O' Mac Mc`), strings.Fields(`Hanlon Keeffe Driscoll Donovan Halloran Grady Mahony Dwyer Shea Toole Hare Rourke`)},
}

// tailShare is the share of people of each origin with a rarer family name.
var tailShare = map[string]float64{"english": 0.6, "welsh": 0.3, "scottish": 0.5, "irish": 0.5, "caribbean": 0.5,
	"polish": 0.6, "romanian": 0.5}

// tailOf is the origin whose parts a rarer name is made of.
var tailOf = map[string]string{"welsh": "english", "caribbean": "english"}

// Street names and nicknames: a root alone ("Tiny"), with a word before it
// ("Lil Ghost"), or the first letter of a given name hyphened on ("D-Money").
var (
	aliasRoots = strings.Fields(`Money Ghost Shadow Blade Trigger Spider Smokey Tiny Scrappy Snoop Flash Bandit Diesel Chunky
Rocket Mad Dog Biggz Skinny Stinger Razor Jokes Chino Ratty Sniper Nitro Frosty Rambo Tank Rasta Hammer Loco Ghostface Kash`)
	aliasHeads = strings.Fields(`Lil Big Young Yung Baby Mad Kid`)
)

type group struct {
	spellings []string
	nickname  string
}

func parseGroups(s string) []group {
	var gs []group
	for _, g := range strings.Split(strings.ReplaceAll(s, "\n", ""), "|") {
		names, nick, _ := strings.Cut(g, ":")
		if f := strings.Fields(names); len(f) > 0 {
			gs = append(gs, group{spellings: f, nickname: nick})
		}
	}
	return gs
}

type parsedSet struct{ male, female, family []group }

var parsedSets = func() map[string]parsedSet {
	out := map[string]parsedSet{}
	for k, s := range nameSets {
		out[k] = parsedSet{parseGroups(s.male), parseGroups(s.female), parseGroups(s.family)}
	}
	return out
}()
