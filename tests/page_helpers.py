"""Finding elements on an AppTest page by what a user reads, not by their position."""

from __future__ import annotations


def download(at, label: str):
    """The one download button whose label starts with `label`."""
    found = [b for b in at.get("download_button") if b.proto.label.startswith(label)]
    assert len(found) == 1, f"{len(found)} download buttons labelled {label!r}: " + \
        repr([b.proto.label for b in at.get("download_button")])
    return found[0]


def frame_with(at, *columns: str):
    """The one dataframe on the page that has all of `columns`, as a pandas frame."""
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert len(found) == 1, f"{len(found)} dataframes with the columns {columns!r}"
    return found[0]
