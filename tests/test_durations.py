from datetime import timedelta

import pytest

from topicwire.durations import parse_duration


@pytest.mark.parametrize("text, units, whole, expected", [
    ("90s", "smhd", False, timedelta(seconds=90)),
    (" 15M ", "smhd", False, timedelta(minutes=15)),
    ("1.5h", "smhd", False, timedelta(minutes=90)),
    ("2w", "hdw", True, timedelta(weeks=2)),
    ("1.5h", "hdw", True, None),  # whole amounts only
    ("30s", "hdw", True, None),  # a unit this option does not take
    ("0d", "hdw", True, None),
    ("", "smhd", False, None),
    (None, "smhd", False, None),
    ("1e3s", "smhd", False, None),
    ("9" * 30 + "w", "hdw", True, None),  # more than a timedelta holds
])
def test_durations(text, units, whole, expected):
    assert parse_duration(text, units=units, whole=whole) == expected
