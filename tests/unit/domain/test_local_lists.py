from shared.domain.authorization import AuthorizationStatus, TokenEntry
from shared.domain.local_lists import ListChange, UpdateType, differential, plan_updates

A = TokenEntry("A", AuthorizationStatus.ACCEPTED)
B = TokenEntry("B", AuthorizationStatus.ACCEPTED)
B_BLOCKED = TokenEntry("B", AuthorizationStatus.BLOCKED)
C = TokenEntry("C", AuthorizationStatus.ACCEPTED)


def test_a_differential_holds_only_what_changed_and_removes_what_is_gone():
    held = {"A": A, "B": B, "D": TokenEntry("D", AuthorizationStatus.ACCEPTED)}
    source = {"A": A, "B": B_BLOCKED, "C": C}
    assert differential(held, source) == [
        ListChange("B", B_BLOCKED),
        ListChange("C", C),
        ListChange("D", None),
    ]
    assert differential(source, source) == []


def test_updates_fit_the_station_and_versions_only_grow():
    changes = [ListChange(t, TokenEntry(t, AuthorizationStatus.ACCEPTED)) for t in "ABCDE"]
    updates = plan_updates(7, UpdateType.FULL, changes, per_message=2)
    assert [(u.version, u.update_type, [c.id_token for c in u.changes]) for u in updates] == [
        (8, UpdateType.FULL, ["A", "B"]),
        (9, UpdateType.DIFFERENTIAL, ["C", "D"]),
        (10, UpdateType.DIFFERENTIAL, ["E"]),
    ]
    assert plan_updates(7, UpdateType.DIFFERENTIAL, [], 2) == []  # nothing changed: nothing to send
    [empty] = plan_updates(7, UpdateType.FULL, [], 2)  # a full list may be empty: it clears the station's
    assert (empty.version, empty.changes) == (8, ())
