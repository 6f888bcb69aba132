"""`flows/screens/privacy.py`: /mydata in the engine: the summary says what the file holds
beyond the chat (from test_my_data)."""

from __future__ import annotations

from flows import texts as T
from flows.effects import SendMyData
from flows.events import Event
from tests.flows.helpers import NOW, consented, msgids, new_state


def test_with_a_case_the_summary_points_to_appointments_and_requests_in_the_file(engine):
    step = engine.step(consented(), Event.cmd("mydata"), NOW)
    assert msgids(step)[:3] == [T.MYDATA_INTRO, T.MYDATA_LANGUAGE, T.MYDATA_FILE_MORE]
    assert any(isinstance(effect, SendMyData) for effect in step.effects)


def test_without_a_case_there_is_nothing_more_in_the_file(engine):
    state = new_state(has_case=False)
    state.position.lang = "en"
    step = engine.step(state, Event.cmd("mydata"), NOW)
    assert T.MYDATA_FILE_MORE not in msgids(step)
    assert T.MYDATA_NO_CASE in msgids(step)
