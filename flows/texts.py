"""The engine's own words: every message it says outside the questions themselves.

Content kept out of handler code; English msgids, translated per language in locales/.
"""

from collections.abc import Sequence

from flows.model import N_, NP_
from flows.replies import Join, Msg, Param

BACK = N_("← Back")
BACK_TO_OVERVIEW = N_("← Back to the overview")
BILINGUAL_EXPLAINED = N_(
    "You will see each message in your language, with the Dutch underneath. You can change this with /language."
)
BILINGUAL_OFF = N_("Dutch is no longer shown underneath.")
BILINGUAL_OFF_BUTTON = N_("Stop showing Dutch underneath")
BILINGUAL_ON = N_("Dutch is now shown underneath.")
BILINGUAL_ON_BUTTON = N_("Show Dutch underneath")
CHANGE_AN_ANSWER = N_("Change an answer")
CHOOSE_BUTTON = N_("Please choose one of the buttons below.")
CHOOSE_LANGUAGE = N_("Choose your language.")
CHOOSE_LANGUAGE_BUTTON = N_("Please choose a language with a button.")
CONSENT_AGAIN = N_("I want to answer the questions after all")
CONSENT_CHANGED = N_("We have changed how we handle your answers. Please read this again.")
CONSENT_MORE = N_("Tell me more")
CONSENT_NO = N_("No")
CONSENT_NOT_A_TEST = N_(
    "This is not a test. Nothing is decided here. It takes about 15 minutes. You can stop at any time and continue later."
)
CONSENT_QUESTION = N_("Do you agree that we keep your answers for your consulent?")
CONSENT_RIGHTS = N_("You can skip any question, change your answers, and see or erase everything.")
CONSENT_THANKS = N_(
    "Thank you. You can stop at any time: your answers are saved after each question."
)
CONSENT_WHAT = N_(
    "Welcome to Wegwijs. These questions help you prepare your first talk with your consulent at {municipality}: the brede intake."
)
# Who sees the answers, said truthfully: in Noordwijk VluchtelingenWerk joins the intake
# (seed 003), Rijswijk brings in the werkgeversservicepunt and Inkomen (seed 000), and the
# administrators see every case. Without a `who_sees` list in the municipality file the
# general sentence is used; with one, the list (`consent_who`).
CONSENT_WHO = NP_(
    "Your consulent at {municipality} and the people who work with them on your inburgering can see your answers. Your answers are erased {count} month after your inburgering ends.",
    "Your consulent at {municipality} and the people who work with them on your inburgering can see your answers. Your answers are erased {count} months after your inburgering ends.",
)
CONSENT_WHO_LIST = NP_(
    "These people can see your answers:\n{who_sees}\nYour answers are erased {count} month after your inburgering ends.",
    "These people can see your answers:\n{who_sees}\nYour answers are erased {count} months after your inburgering ends.",
)
CONSENT_YES = N_("Yes, I agree")
CURRENT_ANSWER = N_("Your answer now: {answer}")
# Sent while the database is away and Telegram has already handed over the message: it
# is kept and answered when the database is back, so the person need not send it again.
DATABASE_AWAY = N_(
    "Sorry, something went wrong on our side. Your message has arrived: we will answer it in a minute."
)
DECLINED = N_(
    "That is fine. We do not store any answers. Your consulent will ask you everything in person."
)
DECLINED_STILL = N_("You can still use /help. If you change your mind, press the button.")
DONE = N_("Done")
DONE_MENU = N_("Your answers are with your consulent. You can still look at them or change them.")
EXCLUSIVE_OPTION = N_("“{option}” cannot be combined with other answers.")
FIRST_QUESTION = N_("This is the first question.")
HELP = N_(
    "Press a button to answer, or type your answer. Every question has a button to skip it: your consulent will then ask it in person."
)
MEDIA_UNSUPPORTED = N_(
    "Sorry, I can only read text and buttons. Please answer with a button or by typing."
)
MENU_ANSWERS = N_("My answers")
MENU_HELP = N_("Help")
MENU_LANGUAGE = N_("Language")
MORE_MINIMUM = N_(
    "We do not ask for your name, date of birth, address or BSN: the municipality already has them."
)
MORE_NOT_SHARED = N_(
    "Your answers are not sent to the IND, COA or anyone else. Your consulent uses them only for your inburgering."
)
MORE_SENSITIVE = N_(
    "Questions about health and money come at the end, only if you agree again. We only note whether you want help, never details."
)
MULTI_EMPTY = N_("Please choose at least one answer, or press “I'd rather discuss this in person”.")
MULTI_HOW = N_("Choose all that apply, then press “Done”.")
NO_ANSWERS_STORED = N_("No answers are stored.")
NO_CASE_HOW = N_(
    "To answer the questions you need a personal code from your municipality. Ask your consulent for it, then send: /start YOUR-CODE"
)
NO_CASE_WELCOME = N_(
    "Welcome to Wegwijs. I help you prepare your first talk with the municipality: the brede intake."
)
NO_TEXT = N_("I could not find any text in your message.")
NO_TEXT_ANSWER = N_(
    "I could not find any text in your message. Please type your answer, or press a button."
)
NUMBER_RANGE = N_("Please type a number from {low} to {high}.")
PART_OF_TOTAL = N_("Part {part} of {total} · {title}")
PART_SAVED = N_("✓ Part {part} is saved.")
PART_TITLE = N_("Part {part} · {title}")
REVIEW_CONFIRM = N_(
    "Is everything right? When you press “Send to my consulent”, your consulent at {municipality} can read these answers in Dutch."
)
REVIEW_CONTINUE = N_("Continue with the questions")
REVIEW_FLAGS = N_("Your consulent also sees these notes, made from your answers:")
REVIEW_HEADING = N_("What your consulent will see")
REVIEW_HISTORY = N_("If you changed an answer, your consulent also sees the earlier one.")
REVIEW_INTRO = N_(
    "These are your answers. Nothing is decided by them: they help your consulent prepare your talk."
)
REVIEW_SENSITIVE = N_(
    "About health and money, your consulent only sees whether something makes learning harder and whether you want help. Never details."
)
REVIEW_OPEN = N_("Some questions are not answered yet.")
SEND = N_("Send to my consulent")
SENT = N_("Thank you! Your answers have been sent to your consulent at {municipality}.")
SENT_NOTHING_DECIDED = N_("Your consulent will talk with you about them. Nothing has been decided.")
STALE_BUTTON = N_("That button does not belong to this question. Please use the buttons below.")
TEXT_TOO_LONG = N_(
    "Your message is {length} characters long. Please keep it under {limit} characters."
)
TYPE_NUMBER = N_("Type a number, or press a button.")
TYPE_TEXT = N_("Type your answer in your own words, in any language.")
UNKNOWN_COMMAND = N_("I do not know that command.")
USE_BUTTONS = N_("Please use the buttons below.")
VOICE_UNSUPPORTED = N_(
    "I cannot listen to voice messages. Please press a button. If reading is hard, skip the question: your consulent will ask it in person."
)
WELCOME_BACK = N_("Welcome back. We continue where you stopped.")
WELCOME_TITLE = N_("Welcome")
WHICH_ANSWER = N_("Which answer do you want to change?")
WHICH_PART = N_("Which part do you want to change?")

# The consent text's version: raise it whenever the consent texts above change in meaning,
# so everyone is asked again.
CONSENT_TEXT_VERSION = "2"
INTERNAL_ERROR = N_(
    "Sorry, something went wrong on our side. Your answers are safe. Please try again, or send /start."
)

# Invites (a deep link t.me/<bot>?start=CODE, or "/start CODE")
INVITE_OK = N_("Welcome! Your code is accepted. You are now linked to your consulent.")
INVITE_UNKNOWN = N_(
    "I do not know this code. Please check it, or ask your consulent for a new one."
)
INVITE_EXPIRED = N_("This code is no longer valid. Please ask your consulent for a new one.")
CASE_CLOSED = N_(
    "This conversation has been closed by your consulent, so I cannot take new answers or codes for it. What you told us before is safe. If you still need help, please contact your consulent."
)

EDITED = N_("You changed a message. I only read new messages: please send your answer again.")
GROUP_REFUSAL = N_(
    "I only work in a private chat, so that your answers stay private. Please open a private chat with me."
)

# Your data
DELETE_CONFIRM = N_(
    "This erases everything we store about you: your answers, your language and the link with your consulent. This cannot be undone. Are you sure?"
)
DELETE_YES = N_("Yes, erase everything")
DELETE_NO = N_("No, keep it")
DELETED = N_(
    "Everything is erased. If you want to start again later, ask your consulent for a new code."
)
NOT_DELETED = N_("Nothing was erased.")
MYDATA_INTRO = N_(
    "This is everything we store about you. The file below has the same, for your own records."
)
MYDATA_LANGUAGE = N_("Your language: {language}")
MYDATA_FILE_MORE = N_(
    "The file also lists your appointments and your requests to talk to someone, if there are any."
)
MYDATA_CONSENT = N_("You agreed that we keep your answers for your consulent.")
MYDATA_NO_CASE = N_("You are not linked to a consulent, and no answers are stored.")

# A person
PERSON_REQUESTED = N_(
    "Your consulent will see that you want to talk to a person. They will contact you."
)
MENU_ROLES = N_("Who helps me with what?")
PERSON_NO_CASE = N_(
    "You are not linked to a consulent yet. Please contact your municipality, or ask them for a code."
)


def consent_who(municipality: str, retention_months: int, who_sees: Sequence[Param] = ()) -> Msg:
    """The consent sentence on who sees the answers and when they are erased: the
    municipality's own `who_sees` list (each line in the reader's language: a standard
    line or the file's own, `flows.sentences`), one per line, when it gives one, else the
    general sentence."""
    if not who_sees:
        return Msg.count(CONSENT_WHO, retention_months, municipality=municipality)
    lines = Join(tuple(Msg.lit("• {who}", who=who) for who in who_sees), "\n")
    return Msg.count(CONSENT_WHO_LIST, retention_months, who_sees=lines)
