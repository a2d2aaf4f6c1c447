from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.book import Book
from app.settings import Settings
from ui.messages import Messages
from ui.tasks import TaskRunner
from ui.widgets.section import AppContext


@pytest.fixture
def messages() -> Messages:
    m = Messages()
    m.auto_answer = True
    return m


@pytest.fixture
def ctx(qapp: object, book: Book, messages: Messages) -> Iterator[AppContext]:
    runner = TaskRunner(synchronous=True)
    yield AppContext(book=book, runner=runner, settings=Settings(), message=messages)
