"""The pre-intake: questions that prepare the brede intake (DOMAIN.md, "What the brede
intake covers"; seeds 000, 001, 002). Content only; `flows.engine` runs it.

Rules kept here: plain words, one question at a time, buttons before typing, a few clear
choices instead of open questions (seed 001), nothing the municipality already has (name,
date of birth, address, BSN), and health and money only as flags and wishes after a second
consent ("niet onnodig problematiseren", seed 000). Option codes are stable: they are what
is stored and exported; texts may be reworded freely.
"""

from __future__ import annotations

from flows.model import N_, NC_, Flag, Flow, Kind, Option, Question, Section, when

FLOW_VERSION = "1"

LANGUAGE_OPTIONS = (
    Option("ar", N_("Arabic")),
    Option("ti", N_("Tigrinya")),
    Option("fa", N_("Farsi / Dari")),
    Option("ps", N_("Pashto")),
    Option("ku", N_("Kurdish")),
    Option("so", N_("Somali")),
    Option("am", N_("Amharic")),
    Option("tr", N_("Turkish")),
    Option("en", N_("English")),
    Option("fr", N_("French")),
    Option("nl", N_("Dutch")),
    Option("other", N_("Another language")),
)

SECTORS = (
    Option("care", N_("Care and health")),
    Option("construction", N_("Construction")),
    Option("hospitality", N_("Hotels, restaurants, cooking")),
    Option("technology", N_("Technology, metal, electrical")),
    Option("transport", N_("Transport and logistics")),
    Option("green", N_("Farming, gardens, nature")),
    Option("office", N_("Office and administration")),
    Option("education", N_("Education and childcare")),
    Option("it", N_("IT and computers")),
    Option("retail", N_("Shop and sales")),
    Option("own_business", N_("My own business")),
    Option("other", N_("Other work")),
)

ABILITY = (
    Option("yes", N_("Yes")),
    Option("learn", N_("No, but I want to learn")),
    Option("no", N_("No")),
)

LANGUAGE = Section(
    "language",
    N_("Language and interpreter"),
    intro=N_("First some questions about the languages you speak."),
    questions=(
        Question(
            "language.spoken",
            Kind.MULTI,
            N_("Which languages do you speak?"),
            N_("Languages spoken"),
            LANGUAGE_OPTIONS,
        ),
        Question(
            "language.spoken_other",
            Kind.TEXT,
            N_("Which other language do you speak?"),
            N_("Other language"),
            conditions=(when("language.spoken", "other"),),
            max_length=100,
        ),
        Question(
            "language.english_level",
            Kind.CHOICE,
            N_("How well do you speak English?"),
            N_("English level"),
            (
                Option("a_little", N_("A little")),
                Option("good", N_("Good, I can have a conversation")),
                Option("very_good", N_("Very well, also for study or work")),
            ),
            conditions=(when("language.spoken", "en"),),
        ),
        Question(
            "language.kurdish",
            Kind.CHOICE,
            N_("Which Kurdish do you speak? An interpreter must speak the same."),
            N_("Kurdish: Kurmanji or Sorani"),
            (
                Option("kurmanji", N_("Kurmanji")),
                Option("sorani", N_("Sorani")),
                Option("both", N_("Both")),
                Option("other", N_("Another kind")),
            ),
            conditions=(when("language.spoken", "ku"),),
        ),
        Question(
            "language.persian",
            Kind.CHOICE,
            N_("Do you speak Farsi or Dari? An interpreter must speak the same."),
            N_("Persian: Farsi or Dari"),
            (
                Option("farsi", N_("Farsi")),
                Option("dari", N_("Dari")),
                Option("both", N_("Both")),
            ),
            conditions=(when("language.spoken", "fa"),),
        ),
        Question(
            "language.interpreter",
            Kind.CHOICE,
            N_("Do you want an interpreter (tolk) at talks with the municipality?"),
            N_("Interpreter wanted"),
            (
                Option("yes", N_("Yes")),
                Option("sometimes", N_("Sometimes, for difficult talks")),
                Option("no", N_("No")),
            ),
            hint=N_("An interpreter translates the talk. This is normal and free for you."),
        ),
        Question(
            "language.interpreter_language",
            Kind.CHOICE,
            N_("In which language do you want the interpreter?"),
            N_("Language for the interpreter"),
            (*LANGUAGE_OPTIONS[:-3], LANGUAGE_OPTIONS[-1]),
            conditions=(when("language.interpreter", "yes", "sometimes"),),
        ),
        Question(
            "language.interpreter_other",
            Kind.TEXT,
            N_("Which language should the interpreter speak?"),
            N_("Other interpreter language"),
            conditions=(when("language.interpreter_language", "other"),),
            max_length=100,
        ),
    ),
)

READING = Section(
    "reading",
    N_("Reading and learning"),
    intro=N_("These questions help your consulent find lessons that fit you. It is not a test."),
    questions=(
        Question(
            "reading.own_language",
            Kind.CHOICE,
            N_("Can you read and write in your own language?"),
            N_("Reads and writes own language"),
            (
                Option("well", N_("Yes, well")),
                Option("a_little", N_("A little")),
                # "no" keeps its meaning (not enough to read and write); "cannot_read" is
                # told apart from it: a literacy course rather than low literacy.
                Option("no", N_("No")),
                Option("cannot_read", N_("I cannot read at all")),
            ),
        ),
        Question(
            "reading.latin",
            Kind.CHOICE,
            N_("Do you know the letters a b c (the Latin alphabet)?"),
            N_("Knows the Latin alphabet"),
            (
                Option("yes", N_("Yes")),
                Option("a_little", N_("A little")),
                Option("no", N_("No")),
            ),
        ),
        Question(
            "reading.dutch",
            Kind.CHOICE,
            N_("How much Dutch do you speak now?"),
            N_("Dutch now"),
            (
                Option("none", NC_("no Dutch spoken", "None")),
                Option("words", N_("Some words")),
                Option("simple", N_("Simple conversations")),
                Option("good", N_("Good")),
            ),
        ),
        Question(
            "reading.azc_lessons",
            Kind.CHOICE,
            N_("Did you have Dutch lessons in the AZC (asylum centre) or somewhere else?"),
            N_("Dutch lessons so far"),
            (
                Option("finished", N_("Yes, a whole course")),
                Option("some", N_("Yes, some lessons")),
                Option("no", N_("No")),
            ),
        ),
        Question(
            "reading.numeracy",
            Kind.CHOICE,
            N_("Can you do sums, for example with money or with the time on a clock?"),
            N_("Numeracy (own estimate)"),
            (
                Option("well", N_("Yes, well")),
                Option("a_little", N_("A little")),
                Option("no", N_("No")),
            ),
        ),
        Question(
            "reading.learning_style",
            Kind.CHOICE,
            N_("How do you like to learn?"),
            N_("Learns best"),
            (
                Option("classroom", N_("In a class, with a teacher")),
                Option("doing", N_("By doing, in practice")),
                Option("both", N_("Both")),
                Option("unknown", N_("I don't know")),
            ),
        ),
    ),
)

EDUCATION = Section(
    "education",
    N_("School and study"),
    questions=(
        Question(
            "education.years",
            Kind.NUMBER,
            N_(
                "How many years did you go to school in total? Add up the years of all your schools."
            ),
            N_("Years of school"),
            minimum=0,
            maximum=30,
            presets=(0, 6, 9, 12, 16),
        ),
        Question(
            "education.level",
            Kind.CHOICE,
            N_("What is the highest school you finished?"),
            N_("Highest education finished"),
            (
                Option("none", NC_("no school finished", "None")),
                Option("primary", N_("Primary school")),
                Option("secondary", N_("Secondary school")),
                Option("vocational", N_("Vocational training")),
                Option("university", N_("College or university")),
                Option("master", N_("Master or PhD")),
            ),
        ),
        Question(
            "education.diploma_papers",
            Kind.CHOICE,
            N_("Do you have your diplomas or school papers with you in the Netherlands?"),
            N_("Diploma papers available"),
            (
                Option("all", N_("Yes")),
                Option("some", N_("Some of them")),
                Option("no", N_("No")),
            ),
            conditions=(when("education.level", none_of=("none",)),),
        ),
        Question(
            "education.field",
            Kind.CHOICE,
            N_("What was your diploma in?"),
            N_("Diploma in"),
            (
                Option("care", N_("Care, health, medicine")),
                Option("education", N_("Teaching")),
                Option("technology", N_("Technology, building")),
                Option("it", N_("IT and computers")),
                Option("economics", N_("Economics, business, law")),
                Option("languages", N_("Languages, social studies")),
                Option("science", N_("Science, mathematics")),
                Option("farming", N_("Farming")),
                Option("other", N_("Something else")),
            ),
            conditions=(when("education.level", "vocational", "university", "master"),),
        ),
        Question(
            "education.study_wish",
            Kind.CHOICE,
            N_("Do you want to study in the Netherlands?"),
            N_("Wants to study"),
            (
                Option("yes", N_("Yes")),
                Option("maybe", N_("Maybe")),
                Option("no", N_("No")),
            ),
        ),
        Question(
            "education.study_field",
            Kind.TEXT,
            N_("What would you like to study?"),
            N_("Study wish"),
            conditions=(when("education.study_wish", "yes", "maybe"),),
            max_length=300,
        ),
    ),
)

WORK = Section(
    "work",
    N_("Work"),
    questions=(
        Question(
            "work.current_job",
            Kind.YESNO,
            N_("Do you have a paid job now, in the Netherlands?"),
            N_("Works now"),
        ),
        Question(
            "work.current_hours",
            Kind.CHOICE,
            N_("How many hours a week do you work?"),
            N_("Hours of work a week"),
            (
                Option("under_12", N_("Less than 12 hours")),
                Option("12_24", N_("12 to 24 hours")),
                Option("25_35", N_("25 to 35 hours")),
                Option("36_plus", N_("36 hours or more")),
            ),
            conditions=(when("work.current_job", "yes"),),
        ),
        Question(
            "work.worked_before",
            Kind.YESNO,
            N_("Did you have paid work before you came to the Netherlands?"),
            N_("Worked before"),
        ),
        Question(
            "work.years",
            Kind.NUMBER,
            N_("How many years did you work?"),
            N_("Years of work"),
            conditions=(when("work.worked_before", "yes"),),
            minimum=0,
            maximum=60,
            presets=(1, 3, 5, 10, 20),
        ),
        Question(
            "work.sectors_before",
            Kind.MULTI,
            N_("What kind of work did you do?"),
            N_("Work experience"),
            SECTORS,
            conditions=(when("work.worked_before", "yes"),),
        ),
        Question(
            "work.job_before",
            Kind.TEXT,
            N_("What was your job? For example: nurse, welder, farmer."),
            N_("Job before"),
            conditions=(when("work.worked_before", "yes"),),
            max_length=300,
        ),
        Question(
            "work.wish",
            Kind.MULTI,
            N_("What kind of work would you like to do in the Netherlands?"),
            N_("Work wished for"),
            (*SECTORS, Option("unknown", N_("I don't know yet"), exclusive=True)),
        ),
        Question(
            "work.volunteering",
            Kind.CHOICE,
            N_(
                "Volunteer work is unpaid work to help others. Have you done this, or would you like to?"
            ),
            N_("Volunteer work"),
            (
                Option("done", N_("I have done it")),
                Option("wants", N_("I would like to")),
                Option("both", N_("Both")),
                Option("no", N_("No")),
            ),
        ),
        # Werknemersvaardigheden (seed 002, brede intake): three plain self-assessments.
        Question(
            "work.skills",
            Kind.MULTI,
            N_("Which of these have you done, at work, at school or as a volunteer?"),
            N_("Work skills (own estimate)"),
            (
                Option("team", N_("Worked together with others")),
                Option("hours", N_("Worked at fixed hours and came on time")),
                Option("boss", N_("Followed instructions from a boss")),
                Option("none", N_("None of these yet"), exclusive=True),
            ),
        ),
        Question(
            "work.driving_licence",
            Kind.CHOICE,
            N_("Do you have a driving licence?"),
            N_("Driving licence"),
            (
                Option("dutch", N_("Yes, a Dutch one")),
                Option("foreign", N_("Yes, from another country")),
                Option("no", N_("No")),
            ),
        ),
    ),
)

FAMILY = Section(
    "family",
    N_("Family and time"),
    questions=(
        Question(
            "family.household",
            Kind.MULTI,
            N_("Who lives with you in the Netherlands?"),
            N_("Lives with"),
            (
                Option("alone", N_("Nobody, I live alone"), exclusive=True),
                Option("partner", N_("My partner")),
                Option("children", N_("My children")),
                Option("other_family", N_("Other family")),
                Option("others", N_("Other people")),
            ),
        ),
        Question(
            "family.partner_inburgering",
            Kind.CHOICE,
            N_("Does your partner also have to do the inburgering (civic integration)?"),
            N_("Partner has own inburgering"),
            (
                Option("yes", N_("Yes")),
                Option("no", N_("No")),
                Option("unknown", N_("I don't know")),
            ),
            conditions=(when("family.household", "partner"),),
        ),
        Question(
            "family.children_count",
            Kind.CHOICE,
            N_("How many children live with you?"),
            N_("Number of children"),
            (
                Option("1", N_("One child")),
                Option("2", N_("Two children")),
                Option("3", N_("Three children")),
                Option("4_plus", N_("Four or more children")),
            ),
            conditions=(when("family.household", "children"),),
        ),
        Question(
            "family.children_ages",
            Kind.MULTI,
            N_("How old are your children?"),
            N_("Ages of children"),
            (
                Option("under_4", N_("Younger than 4")),
                Option("4_12", N_("4 to 12 years")),
                Option("12_18", N_("12 to 18 years")),
                Option("over_18", N_("18 or older")),
            ),
            conditions=(when("family.household", "children"),),
        ),
        Question(
            "family.childcare",
            Kind.CHOICE,
            N_("Do you need childcare to be able to go to lessons?"),
            N_("Childcare needed for lessons"),
            (
                Option("yes", N_("Yes")),
                Option("arranged", N_("No, it is arranged")),
                Option("no", N_("No")),
                Option("unknown", N_("I don't know")),
            ),
            conditions=(when("family.children_ages", "under_4", "4_12"),),
        ),
        Question(
            "family.preschool",
            Kind.MULTI,
            N_(
                "Does your child younger than 4 go to a playgroup (VVE) or to the baby clinic (consultatiebureau)?"
            ),
            N_("Young child: VVE / JGZ"),
            (
                Option("vve", N_("A playgroup or pre-school (VVE)")),
                Option("jgz", N_("The baby clinic (consultatiebureau, JGZ)")),
                Option("neither", N_("Neither yet"), exclusive=True),
            ),
            conditions=(when("family.children_ages", "under_4"),),
        ),
        Question(
            "family.abroad",
            Kind.CHOICE,
            N_(
                "Is there family of yours abroad who may come to the Netherlands (family reunification)?"
            ),
            N_("Family abroad (reunification)"),
            (
                Option("started", N_("Yes, the request has started")),
                Option("not_started", N_("Yes, but nothing has started")),
                Option("no", N_("No")),
            ),
        ),
        Question(
            "family.came_later",
            Kind.YESNO,
            N_(
                "Did you come to the Netherlands later, through family reunification, to join family who were already here?"
            ),
            N_("Came by family reunification (nareiziger)"),
        ),
        # The social network (seed 002, brede intake): who the person can ask for help, not
        # guessed from interests; "nobody yet" is a signal for the begeleiding.
        Question(
            "family.network",
            Kind.MULTI,
            N_("Who can you ask for help here in the Netherlands?"),
            N_("Can ask for help (social network)"),
            (
                Option("family", N_("Family")),
                Option("friends", N_("Friends")),
                Option("community", N_("People from my country or community")),
                Option("religious", N_("A mosque, church or other religious community")),
                Option("nobody", N_("Nobody yet"), exclusive=True),
            ),
        ),
        Question(
            "family.network_wish",
            Kind.CHOICE,
            N_("Would you like to meet people here, for example at a club or with a volunteer?"),
            N_("Wants to meet people"),
            (
                Option("yes", N_("Yes")),
                Option("maybe", N_("Maybe")),
                Option("no", N_("No")),
            ),
            conditions=(when("family.network", "nobody"),),
        ),
        Question(
            "family.unavailable",
            Kind.MULTI,
            N_("At which times can you not come to lessons or appointments?"),
            N_("Not available"),
            (
                Option("mornings", N_("Mornings")),
                Option("afternoons", N_("Afternoons")),
                Option("evenings", N_("Evenings")),
                Option("mon", N_("Monday")),
                Option("tue", N_("Tuesday")),
                Option("wed", N_("Wednesday")),
                Option("thu", N_("Thursday")),
                Option("fri", N_("Friday")),
                Option("sat", N_("Saturday")),
                Option("sun", N_("Sunday")),
                Option("always", N_("I can always come"), exclusive=True),
            ),
        ),
        Question(
            "family.unavailable_reason",
            Kind.MULTI,
            N_("Why can you not come then?"),
            N_("Reason not available"),
            (
                Option("work", N_("Work")),
                Option("children", N_("Care for children")),
                Option("care", N_("Care for a family member")),
                Option("religion", N_("Religion")),
                Option("other", N_("Something else")),
            ),
            conditions=(when("family.unavailable", none_of=("always",)),),
        ),
    ),
)

DAILY = Section(
    "daily",
    N_("Daily life"),
    intro=N_("Now some questions about daily life. They show where you may want help."),
    questions=(
        Question(
            "daily.digital",
            Kind.CHOICE,
            N_("How well can you use a smartphone or computer?"),
            N_("Digital skills"),
            (
                Option("well", N_("Well")),
                Option("a_little", N_("A little")),
                Option("no", N_("Not at all")),
            ),
        ),
        Question(
            "daily.has",
            Kind.MULTI,
            N_("Which of these do you already have?"),
            N_("Already has"),
            (
                Option("email", N_("An e-mail address")),
                Option("digid", N_("DigiD (to log in to the government)")),
                Option("bank", N_("A Dutch bank account")),
                Option("insurance", N_("Health insurance")),
                Option("gp", N_("A family doctor (huisarts)")),
                Option("none", N_("None of these"), exclusive=True),
            ),
        ),
        # Whether there is a benefit, and from whom: ontzorgen and what a fine can touch
        # depend on it (seeds 001 and 002). Whether, never how much.
        Question(
            "daily.benefit",
            Kind.CHOICE,
            N_("Do you get a benefit (uitkering), money to live on?"),
            N_("Gets a benefit (uitkering)"),
            (
                Option("yes", N_("Yes")),
                Option("applied", N_("I have applied, it has not started yet")),
                Option("no", N_("No")),
                Option("unknown", N_("I don't know")),
            ),
            hint=N_("Some help, such as ontzorgen, depends on it."),
        ),
        Question(
            "daily.benefit_from",
            Kind.CHOICE,
            N_("From whom do you get it?"),
            N_("Benefit from"),
            (
                Option("municipality", N_("The municipality (bijstand)")),
                Option("uwv", N_("UWV (the benefits agency for people who worked)")),
                Option("svb", N_("SVB (for example child benefit)")),
                Option("other", N_("Another organisation")),
                Option("unknown", N_("I don't know")),
            ),
            conditions=(when("daily.benefit", "yes", "applied"),),
        ),
        # Toeslagen (seed 002: "de Nederlandse financiële systemen zoals belastingen en
        # toeslagen"), applied for or not.
        Question(
            "daily.toeslagen",
            Kind.MULTI,
            N_("Which allowances (toeslagen) have you applied for?"),
            N_("Allowances (toeslagen) applied for"),
            (
                Option("zorg", N_("Health care allowance (zorgtoeslag)")),
                Option("huur", N_("Rent allowance (huurtoeslag)")),
                Option("kinderopvang", N_("Childcare allowance (kinderopvangtoeslag)")),
                Option("none", N_("None yet"), exclusive=True),
                Option("unknown", N_("I don't know what this is"), exclusive=True),
            ),
            hint=N_("Allowances are money from the government for part of your costs."),
        ),
        Question(
            "daily.toeslagen_help",
            Kind.CHOICE,
            N_("Would you like help to apply for allowances?"),
            N_("Wants help with allowances"),
            (
                Option("yes", N_("Yes")),
                Option("no", N_("No")),
            ),
            conditions=(when("daily.toeslagen", "none", "unknown"),),
        ),
        Question(
            "daily.cycling",
            Kind.CHOICE,
            N_("Can you ride a bicycle?"),
            N_("Cycling"),
            ABILITY,
        ),
        Question(
            "daily.swimming",
            Kind.CHOICE,
            N_("Can you swim?"),
            N_("Swimming"),
            ABILITY,
        ),
        Question(
            "daily.letters",
            Kind.CHOICE,
            N_("Do you want help with letters you do not understand?"),
            N_("Help with letters"),
            (
                Option("yes", N_("Yes")),
                Option("sometimes", N_("Sometimes")),
                Option("no", N_("No")),
            ),
        ),
    ),
)

HEALTH_MONEY = Section(
    "health_money",
    N_("Health and money"),
    questions=(
        Question(
            "health.consent",
            Kind.CHOICE,
            N_(
                "The next questions are about health and money. They are all optional. We only note whether something makes learning harder and whether you want help. We never ask for details. Do you want to answer them?"
            ),
            N_("Agrees to questions on health and money"),
            (
                Option("yes", N_("Yes, ask me")),
                Option("no", N_("No, skip this part")),
            ),
            sensitive=True,
        ),
        Question(
            "health.difficulty",
            Kind.CHOICE,
            N_(
                "Is there something in your health that makes learning or working harder? For example pain, sleep, stress, or hearing or seeing badly."
            ),
            N_("Health makes learning or work harder"),
            (
                Option("yes", N_("Yes")),
                Option("no", N_("No")),
            ),
            conditions=(when("health.consent", "yes"),),
            sensitive=True,
        ),
        Question(
            "health.kind",
            Kind.MULTI,
            N_("What is it about? Choose what fits. You do not need to explain anything here."),
            N_("Health: what kind (no details)"),
            (
                Option("physical", N_("My body, for example pain or tiredness")),
                Option("mental", N_("How I feel, for example stress, worries or bad sleep")),
                Option("hearing", N_("Hearing")),
                Option("sight", N_("Seeing")),
            ),
            conditions=(when("health.consent", "yes"), when("health.difficulty", "yes")),
            sensitive=True,
        ),
        Question(
            "health.support",
            Kind.CHOICE,
            N_("Would you like support with this?"),
            N_("Wants support with health"),
            (
                Option("yes", N_("Yes")),
                Option("later", N_("Maybe later")),
                Option("no", N_("No")),
            ),
            conditions=(when("health.consent", "yes"), when("health.difficulty", "yes")),
            sensitive=True,
        ),
        Question(
            "money.worries",
            Kind.YESNO,
            N_("Do you have worries about money or debts?"),
            N_("Worries about money or debts"),
            conditions=(when("health.consent", "yes"),),
            sensitive=True,
        ),
        Question(
            "money.help",
            Kind.CHOICE,
            N_("Would you like help with money or debts?"),
            N_("Wants help with money"),
            (
                Option("yes", N_("Yes")),
                Option("later", N_("Maybe later")),
                Option("no", N_("No")),
            ),
            conditions=(when("health.consent", "yes"), when("money.worries", "yes")),
            sensitive=True,
        ),
    ),
)

GOALS = Section(
    "goals",
    N_("Goals and interests"),
    questions=(
        Question(
            "goals.year",
            Kind.MULTI,
            N_("What do you want to have done in one year?"),
            N_("Goals for this year"),
            (
                Option("dutch", N_("Speak better Dutch")),
                Option("work", N_("Have a job")),
                Option("study", N_("Start a study")),
                Option("business", N_("Start my own business")),
                Option("driving", N_("Get a Dutch driving licence")),
                Option("papers", N_("Have my house and papers in order")),
                Option("children", N_("Help my children at school")),
                Option("people", N_("Know more people")),
            ),
        ),
        Question(
            "goals.help_now",
            Kind.TEXT,
            N_("What do you need help with now? Tell it in your own words."),
            N_("Needs help with now"),
            max_length=500,
        ),
        Question(
            "goals.own_words",
            Kind.TEXT,
            N_("Is there anything else you want to reach? Tell it in your own words."),
            N_("Goals in own words"),
            max_length=500,
        ),
        Question(
            "goals.interests",
            Kind.MULTI,
            N_("What do you like to do in your free time?"),
            N_("Interests"),
            (
                Option("sport", N_("Sport")),
                Option("music", N_("Music")),
                Option("cooking", N_("Cooking")),
                Option("crafts", N_("Making or repairing things")),
                Option("nature", N_("Nature and gardening")),
                Option("art", N_("Art and drawing")),
                Option("reading", N_("Reading")),
                Option("meeting", N_("Meeting people")),
                Option("other", N_("Something else")),
            ),
        ),
        Question(
            "goals.language_buddy",
            Kind.CHOICE,
            N_(
                "A language buddy (taalmaatje) is a volunteer who practises Dutch with you. Would you like one?"
            ),
            N_("Wants a language buddy"),
            (
                Option("yes", N_("Yes")),
                Option("maybe", N_("Maybe")),
                Option("no", N_("No")),
            ),
        ),
        # One optional open question, last: never the asylum story (the brede intake is
        # "niet aan de hand van het aflopen van een formulier", seed 002; DOMAIN.md).
        Question(
            "goals.for_consulent",
            Kind.TEXT,
            N_(
                "Is there anything you would like your consulent to know before your talk? You can skip this question. It is not about your asylum story."
            ),
            N_("Wants the consulent to know (own words)"),
            max_length=500,
        ),
    ),
)

# The flags of issue #14 come first: the sheet and the review list flags in this order.
FLAGS = (
    Flag(
        "cannot_read",
        N_("Cannot read at all (literacy course)"),
        (when("reading.own_language", "cannot_read"),),
    ),
    Flag(
        "health_no_support",
        N_("Health difficulty without a support wish"),
        (when("health.difficulty", "yes"), when("health.support", none_of=("yes",))),
    ),
    Flag(
        "no_digid_or_bank",
        N_("No DigiD or no bank account"),
        (),
        any_of=(
            when("daily.has", none_of=("digid",)),
            when("daily.has", none_of=("bank",)),
        ),
    ),
    Flag("working_now", N_("Working now"), (when("work.current_job", "yes"),)),
    # Age is not asked (the municipality has the date of birth): the consulent checks
    # "under 28" against the BRP; the flag says so in its label.
    Flag(
        "onderwijsroute",
        N_("Possible onderwijsroute (if under 28)"),
        (
            when("education.level", "secondary", "vocational", "university", "master"),
            when("education.study_wish", "yes", "maybe"),
        ),
    ),
    Flag(
        "interpreter", N_("Interpreter needed"), (when("language.interpreter", "yes", "sometimes"),)
    ),
    Flag("low_literacy", N_("Low literacy"), (when("reading.own_language", "no", "a_little"),)),
    Flag("no_latin", N_("Does not know the Latin alphabet"), (when("reading.latin", "no"),)),
    Flag("childcare", N_("Childcare needed"), (when("family.childcare", "yes"),)),
    Flag("health_support", N_("Health support wanted"), (when("health.support", "yes"),)),
    Flag("money_help", N_("Money help wanted"), (when("money.help", "yes"),)),
    Flag("wants_study", N_("Wants to study"), (when("education.study_wish", "yes"),)),
    Flag(
        "not_available",
        N_("Not available at some times"),
        (when("family.unavailable", none_of=("always",)),),
    ),
    Flag(
        "reunification",
        N_("Family reunification"),
        (when("family.abroad", "started", "not_started"),),
    ),
    Flag(
        "no_insurance", N_("No health insurance yet"), (when("daily.has", none_of=("insurance",)),)
    ),
    Flag("letters_help", N_("Wants help with letters"), (when("daily.letters", "yes"),)),
    Flag("no_network", N_("Nobody to ask for help yet"), (when("family.network", "nobody"),)),
    Flag(
        "no_income",
        N_("No benefit and no paid work"),
        (when("daily.benefit", "no"), when("work.current_job", "no")),
    ),
    Flag(
        "toeslagen_help",
        N_("Wants help with allowances (toeslagen)"),
        (when("daily.toeslagen_help", "yes"),),
    ),
    Flag(
        "work_skills_new",
        N_("No experience yet with colleagues, fixed hours or a boss"),
        (when("work.skills", "none"),),
    ),
)

INTAKE = Flow(
    "intake",
    FLOW_VERSION,
    (
        LANGUAGE,
        READING,
        EDUCATION,
        WORK,
        FAMILY,
        DAILY,
        HEALTH_MONEY,
        GOALS,
    ),
    FLAGS,
)
