"""Routing: which unit owns a case, and who else hears about it at once.

Pure functions over the district configuration; no I/O.

* A citizen's request goes to the department work station of its bureau (the
  station's unit id is the bureau id). The citizen's own choice of bureau wins
  over the classifier; a chosen room is kept and the classifier's bureau used
  only when it lies in that room. When the room or bureau is unknown, or the
  classifier is less confident than ``district.min_routing_confidence`` and the
  citizen chose nothing, the case goes to the dispatcher desk
  (``district.dispatcher``), where a person dispatches it by hand.
* The citizen's community or street, when given, is kept as the territorial
  unit (属地) of the case.
* A warning goes to the reporting officer's own unit; high and critical
  warnings are also sent at once to ``district.warning_centres``, critical ones
  also to ``district.leadership``. A street or residential area of the
  district's own list named in the text (西湖街道, 金桥居民区) is its 属地 and is
  informed (:func:`named_territory`); the officer's station keeps the case.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.district import GRASSROOTS_KINDS, District, UnitKind, place_name
from nlp.emergency import Emergency

POLICE_BUREAU = "police"

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Route:
    """Where a new case goes.

    Attributes:
        owning_unit_id: the unit that must handle it (or the dispatcher desk).
        room: the room id stored on the case (``unknown`` if none).
        bureau: the bureau id stored on the case (``unknown`` if none).
        to_desk: True when the case waits at the dispatcher desk.
        how: ``chosen`` (the reporter's choice), ``auto`` (the classifier),
            ``desk`` (unclear), or ``officer`` (a warning's own unit).
        territorial_unit_id: the 属地 unit, if known.
        also_notify: units informed at once besides the owner (warnings).
    """

    owning_unit_id: str
    room: str
    bureau: str
    to_desk: bool
    how: str
    territorial_unit_id: str | None = None
    also_notify: tuple[str, ...] = ()


def resolve_choice(
    district: District, room: str | None, bureau: str | None
) -> tuple[str | None, str | None]:
    """Check a chosen room/bureau pair and fill the room from the bureau.

    Returns:
        ``(room, bureau)`` with unknown or inconsistent choices dropped to None.
    """
    if bureau is not None and bureau not in district.bureaus:
        bureau = None
    if room is not None and room not in district.rooms:
        room = None
    if bureau is not None:
        bureau_room = district.bureaus[bureau].room_id
        if room is not None and room != bureau_room:
            bureau = None
        else:
            room = bureau_room
    return room, bureau


def route_request(
    district: District,
    *,
    classified_room: str,
    classified_bureau: str,
    confidence: float,
    chosen_room: str | None = None,
    chosen_bureau: str | None = None,
    territorial_unit_id: str | None = None,
) -> Route:
    """Route a citizen's request.

    Args:
        district: the organisation.
        classified_room: the classifier's room (or ``unknown``).
        classified_bureau: the classifier's bureau (or ``unknown``).
        confidence: the classifier's confidence, 0..1.
        chosen_room: the room the citizen picked, if any.
        chosen_bureau: the bureau the citizen picked, if any.
        territorial_unit_id: the citizen's community/street unit, if given.

    Returns:
        The route.
    """
    territorial = territorial_unit_id if territorial_unit_id in district.units else None
    room, bureau = resolve_choice(district, chosen_room, chosen_bureau)
    if bureau is not None:
        return Route(
            district.bureaus[bureau].station_id,
            room or UNKNOWN,
            bureau,
            False,
            "chosen",
            territorial,
        )
    if room is not None:
        # The citizen chose a room; take the classifier's bureau when it is in that room.
        if classified_bureau in district.rooms[room].bureaus:
            station = district.bureaus[classified_bureau].station_id
            return Route(station, room, classified_bureau, False, "chosen", territorial)
        return Route(district.dispatcher, room, UNKNOWN, True, "desk", territorial)
    c_room, c_bureau = resolve_choice(
        district,
        classified_room if classified_room != UNKNOWN else None,
        classified_bureau if classified_bureau != UNKNOWN else None,
    )
    if c_bureau is None or confidence < district.min_routing_confidence:
        return Route(
            district.dispatcher, c_room or UNKNOWN, c_bureau or UNKNOWN, True, "desk", territorial
        )
    return Route(
        district.bureaus[c_bureau].station_id,
        c_room or UNKNOWN,
        c_bureau,
        False,
        "auto",
        territorial,
    )


def route_danger(
    district: District,
    route: Route,
    owner_bureau: str | None,
    line_bureau: str | None = None,
    topic_bureau: str | None = None,
) -> Route:
    """``route`` given to the owner of a danger now, when one is named.

    A report of danger now (a fire, a person missing, people trapped, a
    poisoning) is owned at once by the bureau that can act on it
    (``owner_bureau``, :func:`bot.services.triage.danger_owner_bureau`: its rubric
    family's bureau) whatever the classifier's confidence, a
    confident topic (an address such as 和平小区5栋 reads as a planning matter:
    trial 26 T1) or a caller's category: it does not wait at the dispatcher desk,
    and an Open311 ``service_code`` does not send a fire to the environment bureau.
    The station the topic (or the caller's choice) would have given, when another,
    is informed at once (``also_notify``): it reads the card, masked, and does not act.
    The callers name the line's bureau as ``owner_bureau`` when 110 is first or a
    life is at risk (:func:`bot.services.triage.danger_now_owner`: the lead's decision,
    own35 — 违建倒塌有人被埋 is the police's, 井盖丢了，小孩掉下去受伤了 the health
    bureau's, their topic's bureau informed to act on the cause). When nobody owns it,
    a case that would wait at the desk goes to ``line_bureau``
    (:func:`bot.services.triage.line_owner_bureau`: 卫生局 for a collapsed old man,
    trial 26 T15); a routed topic keeps its route (a wall about to fall with nobody
    hurt stays the construction bureau's). Otherwise ``route`` is kept.
    ``topic_bureau`` is a bureau the topic names besides the route (the classifier's
    when too unsure to route; 教体局 for a school of the district named in the text):
    its station is informed as well, read-only (a school canteen poisoning owned by
    卫生局 informs 教体局, who can stop the meals and reach the parents: trial 27 N7).
    """
    if owner_bureau is None and route.to_desk:
        owner_bureau = line_bureau
    if owner_bureau is None or owner_bureau not in district.bureaus:
        return route
    bureau = district.bureaus[owner_bureau]
    topic = tuple(
        u
        for u in dict.fromkeys(
            (
                *(() if route.to_desk else (route.owning_unit_id,)),
                *bureau_stations(district, topic_bureau),
            )
        )
        if u != bureau.station_id
    )
    return Route(
        bureau.station_id,
        bureau.room_id,
        owner_bureau,
        False,
        "danger",
        route.territorial_unit_id,
        topic,
    )


def warning_recipients(district: District, severity: str) -> tuple[str, ...]:
    """Units informed at once of a warning of ``severity``, besides the officer's own."""
    units: list[str] = []
    if severity in ("high", "critical"):
        units.extend(district.warning_centres)
    if severity == "critical":
        units.append(district.leadership)
    return tuple(dict.fromkeys(units))


def route_warning(
    district: District,
    *,
    officer_unit_id: str,
    room: str,
    bureau: str,
    severity: str,
) -> Route:
    """Route an information officer's warning to the officer's own unit."""
    room_, bureau_ = resolve_choice(
        district, room if room != UNKNOWN else None, bureau if bureau != UNKNOWN else None
    )
    also = tuple(u for u in warning_recipients(district, severity) if u != officer_unit_id)
    return Route(
        officer_unit_id,
        room_ or UNKNOWN,
        bureau_ or UNKNOWN,
        False,
        "officer",
        None,
        also,
    )


def escalation_path(district: District, owning_unit_id: str, level: int) -> list[str]:
    """The owner followed by the first ``level`` units up its escalation chain."""
    path = [owning_unit_id]
    current: str | None = owning_unit_id
    for _ in range(level):
        current = district.escalation_target(current) if current in district.units else None
        if current is None or current in path:
            break
        path.append(current)
    return path


def police_copy(district: District, emergency: Emergency | None) -> tuple[str, ...]:
    """The police bureau's station, when ``emergency`` calls for 110.

    A danger to life or violence now (self-harm, a weapon, a fight, a person
    missing ...) is the police's to attend whatever bureau owns the matter
    behind it, so their station gets the card at once besides the owner.
    """
    if emergency is None or "110" not in emergency.services:
        return ()
    police = district.bureaus.get(POLICE_BUREAU)
    return (police.station_id,) if police is not None else ()


def police_lead(emergency: Emergency | None) -> bool:
    """True if ``emergency``'s first number is 110: violence or a crime now (a knife fight,
    an unlawful detention, a threat to kill with the weapon ready), which only the police
    can stop (trial 33 D3). Such a danger is the police's to own when no rubric family
    names its owner, even over a topic the keywords are sure of (关在厂里不让走 reads as a
    labour matter): the topic's unit is informed, as for any danger now. A 120 or 119
    first keeps a confident topic's route only when no life is at risk (a gas smell, a
    wall about to fall): an injury or people buried go to the line's bureau too
    (:func:`bot.services.triage.danger_now_owner`, own35).
    """
    return emergency is not None and emergency.services[:1] == ("110",)


def bureau_stations(district: District, *bureaus: str | None) -> tuple[str, ...]:
    """The stations of ``bureaus`` the district has, in order, each once."""
    return tuple(
        dict.fromkeys(district.bureaus[b].station_id for b in bureaus if b in district.bureaus)
    )


#: The bureau a school of the district answers to.
SCHOOL_BUREAU = "education"


def named_school(district: District, text: str) -> tuple[str, ...]:
    """A school of the district named in ``text`` and its street station, to inform.

    ``()`` when none is named (trial 27 N7: 东城第一小学 and 东城街道 hear of a
    poisoning at the school).
    """
    found = sorted(
        (pos, unit.id)
        for unit in district.units.values()
        if unit.kind == UnitKind.SCHOOL
        for name in place_names(unit.name)
        if (pos := text.find(name)) >= 0
    )
    if not found:
        return ()
    school = found[0][1]
    stations = sorted(
        u for u in _ancestors(district, school) if district.units[u].kind in _PLACE_KINDS[1]
    )
    return (school, *stations)


#: Place kinds a warning's text may name as its 属地 (most specific first).
_PLACE_KINDS: tuple[frozenset[UnitKind], ...] = (
    GRASSROOTS_KINDS - {UnitKind.SCHOOL},
    frozenset({UnitKind.STREET_STATION, UnitKind.PARK_STATION}),
)
_STATION_SUFFIX = "群众工作站"


def place_names(unit_name: str) -> tuple[str, ...]:
    """How a text names a street or residential area: 西湖街道, 金桥居民区 (or 金桥小区),
    阳光小区."""
    name = place_name(unit_name).removesuffix(_STATION_SUFFIX)
    names = [name]
    if name.endswith("居民区") and name.removesuffix("居民区").endswith("小区"):
        names.append(name.removesuffix("居民区"))  # 阳光小区居民区 is called 阳光小区
    elif name.endswith("居民区"):
        names.append(name.removesuffix("居民区") + "小区")  # 金桥居民区 is 金桥小区 (trial 29 P8)
    return tuple(n for n in names if len(n) >= 3)


def _ancestors(district: District, unit_id: str) -> set[str]:
    seen: set[str] = set()
    current = district.units[unit_id].parent_id if unit_id in district.units else None
    while current is not None and current not in seen and current in district.units:
        seen.add(current)
        current = district.units[current].parent_id
    return seen


def named_territory(
    district: District, text: str, officer_unit_id: str
) -> tuple[str | None, tuple[str, ...]]:
    """The 属地 a warning's text names, and the units to inform of it (trial 26 T12).

    A street or residential area of the district's own list named in ``text``
    (its full name: 西湖街道, 金桥居民区, 和平社区, 阳光小区) is the case's 属地 — the
    most specific one, the first written among equals — unless it is the
    officer's own unit or one above it (a 金桥 officer writing 西湖街道 keeps 金桥).
    The named area's unit and its street station are informed; the officer's
    station keeps the case (it knows the source and follows it up).

    Returns:
        ``(territorial_unit_id, units_to_inform)``; ``(None, ())`` when no
        other place is named.
    """
    own = {officer_unit_id, *_ancestors(district, officer_unit_id)}
    for kinds in _PLACE_KINDS:
        found = sorted(
            (pos, unit.id)
            for unit in district.units.values()
            if unit.kind in kinds and unit.id not in own
            for name in place_names(unit.name)
            if (pos := text.find(name)) >= 0
        )
        if found:
            unit_id = found[0][1]
            stations = [
                u
                for u in _ancestors(district, unit_id)
                if district.units[u].kind in _PLACE_KINDS[1]
            ]
            informed = (u for u in (unit_id, *sorted(stations)) if u != officer_unit_id)
            return unit_id, tuple(informed)
    return None, ()
