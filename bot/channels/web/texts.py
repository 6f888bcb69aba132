"""The web chat's own words: the page around the conversation. The conversation itself
says what `flows` says; these are only the page's headings, labels and notes."""

from __future__ import annotations

from flows.journey import TITLE as MENU_ROUTE
from flows.model import N_
from flows.texts import MENU_ANSWERS, MENU_HELP, MENU_LANGUAGE, MENU_ROLES

__all__ = ["MENU_ANSWERS", "MENU_HELP", "MENU_LANGUAGE", "MENU_ROLES", "MENU_ROUTE"]

PAGE_TITLE = N_("Wegwijs: prepare your talk with the municipality")
SKIP_LINK = N_("Skip to the conversation")
PAGE_LANGUAGE = N_("Language of this page")
INTRO = N_(
    "Wegwijs helps you prepare your first talk with your consulent at the municipality. "
    "It asks a few questions in your language. Nothing is decided here."
)
CODE_LABEL = N_("Your invite code")
CODE_HINT = N_("The code is in the letter or message from your consulent, for example ABCD-2345.")
START = N_("Start")
PRACTICE_HEADING = N_("No code?")
PRACTICE_BUTTON = N_("Try it without a code")
PRACTICE_EXPLAINED = N_(
    "A practice conversation: no consulent sees it, and it is erased after a day."
)
PRACTICE_BANNER = N_(
    "Practice: no consulent sees these answers, and nothing is passed on. "
    "Everything is erased after a day."
)
PRACTICE_BUSY = N_(
    "Very many practice conversations were started from here. "
    "Please try again in {minutes} minutes."
)
PRACTICE_NOT_SENT = N_(
    "This is practice: nothing is sent and nobody is told. "
    "With a code from your consulent, it does reach them."
)
INVITE_HEADING = N_("You are invited to Wegwijs")
INVITE_PRESS_START = N_("Press Start to begin. This browser is then linked to your conversation.")
CODE_EMPTY = N_("Please type the code from your invitation.")
CODE_MALFORMED = N_(
    "A code has eight letters and numbers, for example ABCD-2345. Please check it and try again."
)
THROTTLED = N_(
    "Too many wrong codes were tried from here. Please try again in {minutes} minutes, "
    "or ask your consulent."
)
SESSION_ENDED = N_("Your conversation in this browser has ended. To go on, type your code.")
COOKIE_REFUSED = N_(
    "This browser's link to a conversation could not be read, so it was removed. "
    "Please type your code again."
)
CONVERSATION = N_("Conversation")
YOU = N_("You")
ANSWER_LABEL = N_("Your answer")
SEND = N_("Send")
MENU = N_("Menu")
MENU_APPOINTMENTS = N_("My appointments")
MENU_MYDATA = N_("My data")
MENU_DELETE = N_("Erase everything")
MENU_PERSON = N_("Talk to a person")
MENU_NEW_CODE = N_("I have another code")
MENU_LEAVE = N_("Leave this device")
LEFT = N_(
    "You have left this device. Your answers are kept for your consulent. "
    "To continue on another device, ask your consulent for a new code."
)
DOWNLOAD = N_("Download")
EARLIER_HIDDEN = N_(
    "Earlier messages are not shown here. Use “My answers” to see all your answers."
)
NOT_FOUND = N_("This page does not exist.")
BACK_HOME = N_("Back to the start")
BACK_TO_CONVERSATION = N_("Back to the conversation")
FOREIGN_FORM = N_("This form came from another website, so it was not sent.")
TOO_LARGE = N_("That was too much at once. Please send a shorter answer.")
DATABASE_AWAY = N_(
    "Sorry, something went wrong on our side. Please try again in a minute: "
    "what you sent is kept below."
)
ERROR = N_("Sorry, something went wrong on our side. Your answers are safe. Please try again.")
