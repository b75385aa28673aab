"""Rules of the dance a finished performance must obey (see the package docstring).

Exact rules list every violator. Rules that measure a share (round shapes, toprock on the count,
hits caught, freeze density, duet complementarity) hold when the share is reached; then they list
nothing, and otherwise every item that falls short, so `violators/total` still shows how far off
it is. A share needs a sample: a show too short for one (a few rounds) is not judged on it.
"""

from collections import Counter

from ..categories import CATEGORIES, FINISHERS, STANDING
from . import rule

ROUND_SHAPE_SHARE = 0.8      # of unpinned rounds follow toprock → go-down → floor → one finisher
TOPROCK_SHARE = 0.9          # of generated toprock/uprock start on count 1 or 5 and last 2, 4 or 8 counts
FREEZES_PER_EIGHT = 0.35     # generated freezes per dancer 8-count, at most
HITS_SHARE = 0.75            # of the music's hits (but section-opening crashes) caught by every dancer on stage
DUET_SHARE = 0.5             # of a duet's counts with one partner up and the other down
MOVE_SHARE = 0.06            # no non-transition move above this share of a long show's cues
LONG_SHOW_CUES = 150         # … a show with at least this many cues
ENTRY_UNITS = (2, 4, 8)
MIN_SAMPLE = 30              # shares are judged on at least this many rounds, moves or hits
MIN_EIGHTS = 32              # freeze density is judged on at least this many dancer 8-counts
MIN_DUET_COUNTS = 32         # complementarity is judged on duets of at least this many free counts
FLOOR_WORK = ("footwork", "power")


def _within(violators: list, total: int, share: float) -> list:
    """The violators when the share is missed; a sample under MIN_SAMPLE items is no share yet."""
    return [] if total < MIN_SAMPLE or (total - len(violators)) / total >= share else violators


def _by_dancer(perf) -> dict:
    found: dict = {}
    for cue in perf.cues:
        found.setdefault((cue.section, cue.dancer), []).append(cue)
    return found


def _count_ticks(perf, section: int) -> int:
    return perf.timeline.sections[section].meter.count_ticks


def _count(perf, section: int, ticks: int) -> int:
    """0-based counted beat of the section at `ticks`."""
    laid = perf.timeline.sections[section]
    return (ticks - laid.start_ticks) // laid.meter.count_ticks


def _standing(cue) -> bool:
    return cue.start_level == cue.end_level == "standing"


@rule("moves-cover-sections")
def moves_cover_sections(perf):
    """Every dancer on stage has moves from the section's first count to its last, no gap, no overlap."""
    by, violators, total = _by_dancer(perf), [], 0
    for info in perf.sections:
        for dancer in info.dancers:
            total += 1
            mine = by.get((info.index, dancer), [])
            at = info.start_ticks
            for cue in mine:
                if cue.start_ticks != at or cue.length_ticks <= 0:
                    break
                at = cue.end_ticks
            if at != info.end_ticks:
                violators.append(f"{dancer} in section {info.index + 1}: moves stop covering at tick {at}")
    return violators, total


@rule("levels-continue")
def levels_continue(perf):
    """Each move starts at the body level the dancer's previous move ended at (across sections too)."""
    last: dict = {}
    violators, total = [], 0
    for info in perf.sections:
        for cue in (c for c in perf.cues if c.section == info.index):
            total += 1
            before = last.get(cue.dancer)
            if before is not None and before.end_level != cue.start_level and before.section == cue.section:
                violators.append(f"{cue.dancer} {before.move} ends {before.end_level}, "
                                 f"{cue.move} starts {cue.start_level}")
            if before is not None and before.section != cue.section and before.section == cue.section - 1 \
                    and before.end_level != cue.start_level and cue.start_ticks == info.start_ticks:
                violators.append(f"{cue.dancer} leaves section {before.section + 1} {before.end_level}, "
                                 f"starts section {cue.section + 1} {cue.start_level}")
            last[cue.dancer] = cue
    return violators, total


@rule("pins-honoured")
def pins_honoured(perf):
    """A pinned move or combo starts exactly where the score put it, held as long as the score says."""
    starts = {(c.dancer, c.start_ticks): c for c in perf.cues if c.pinned}
    violators = []
    for pin in perf.pins:
        cue = starts.get((pin.dancer, pin.start_ticks))
        what = pin.move or pin.combo
        if cue is None or (pin.move and cue.move != pin.move) or (pin.combo and cue.combo != pin.combo):
            violators.append(f"{pin.dancer}: {what} (line {pin.line}) is not danced at tick {pin.start_ticks}")
        elif pin.hold_ticks is not None and cue.length_ticks != pin.hold_ticks:
            violators.append(f"{pin.dancer}: {what} (line {pin.line}) held {cue.length_ticks} ticks, "
                             f"not {pin.hold_ticks}")
    return violators, len(perf.pins)


@rule("skills-capped")
def skills_capped(perf):
    """No generated move is above its dancer's skill."""
    skills = {d.name: d.skill for d in perf.cast}
    free = [c for c in perf.cues if not c.pinned]
    return [f"{c.dancer}: {c.move} (difficulty {c.difficulty}) above skill {skills[c.dancer]}"
            for c in free if c.difficulty > skills[c.dancer]], len(free)


def _own_rounds(perf):
    """Rounds a dancer shapes themselves: not pinned, not a copy of a leader, with a finisher."""
    return [r for r in perf.rounds if not r.pinned and not r.copied and r.finish_ticks is not None]


def _round_cues(perf, by, r):
    return [c for c in by[(r.section, r.dancer)] if r.start_ticks <= c.start_ticks < r.end_ticks]


def round_shape(cues, finish_ticks: int) -> str | None:
    """What is wrong with a round's shape, or None: (get-up, burn) → toprock or uprock → go-down →
    floor work → one finisher on its hit (then only get-ups, transitions, burns); one more freeze,
    suicide or blow-up at most."""
    cats = [c.category for c in cues if c.category not in ("transition", "getup")]
    finishers = [c for c in cues if CATEGORIES[c.category].finisher]
    if not finishers or finishers[-1].accent_ticks != finish_ticks:
        return "no finisher on the round's hit"
    while cats and cats[-1] == "burn":
        cats.pop()
    if not cats or cats[-1] not in FINISHERS:
        return "moves after the finisher"
    body = cats[:-1]
    while body and body[0] == "burn":
        body = body[1:]
    if not body or body[0] not in ("toprock", "uprock"):
        return "does not enter with toprock or uprock"
    k = 0
    while k < len(body) and CATEGORIES[body[k]].standing:
        k += 1
    rest = body[k:]
    if rest and rest[0] not in ("godown", "suicide"):
        return "no go-down"
    if not rest and cats[-1] != "suicide":
        return "no go-down"
    rest = rest[1:]
    if any(c not in FLOOR_WORK + FINISHERS for c in rest):
        return "stands up again or goes down twice before the finisher"
    if sum(c in FINISHERS for c in rest) > 1:
        return "more than one freeze, suicide or blow-up before the finisher"
    return None


@rule("round-shape")
def round_shape_rule(perf):
    """At least 80 % of unpinned rounds enter standing, go down, work the floor and end on one finisher."""
    violators, total = misshapen_rounds(perf)
    return _within(violators, total, ROUND_SHAPE_SHARE), total


def misshapen_rounds(perf) -> tuple[list, int]:
    """Every unpinned round that does not have the shape, and how many rounds were looked at."""
    by, violators = _by_dancer(perf), []
    rounds = _own_rounds(perf)
    for r in rounds:
        wrong = round_shape(_round_cues(perf, by, r), r.finish_ticks)
        if wrong:
            violators.append(f"{r.dancer} section {r.section + 1} round at count "
                             f"{_count(perf, r.section, r.start_ticks) + 1}: {wrong}")
    return violators, len(rounds)


@rule("toprock-on-the-count")
def toprock_on_the_count(perf):
    """At least 90 % of generated toprock and uprock start on count 1 or 5 and last 2, 4 or 8 counts."""
    violators, total = toprock_off_the_count(perf)
    return _within(violators, total, TOPROCK_SHARE), total


def toprock_off_the_count(perf) -> tuple[list, int]:
    """Generated toprock and uprock off count 1 or 5 or not in 2/4/8-count units, of how many."""
    own = {(r.dancer, r.section) for r in perf.rounds if r.copied}
    entries = [c for c in perf.cues if c.category in ("toprock", "uprock") and not c.pinned and c.role != "wait"
               and (c.dancer, c.section) not in own]
    violators = []
    for c in entries:
        count = _count(perf, c.section, c.start_ticks) % 8 + 1
        length = c.length_ticks // _count_ticks(perf, c.section)
        if count not in (1, 5) or length not in ENTRY_UNITS:
            violators.append(f"{c.dancer}: {c.move} on count {count} for {length} counts")
    return violators, len(entries)


@rule("freeze-density")
def freeze_density(perf):
    """At most 0.35 generated freezes per dancer 8-count."""
    eights = dancer_eights(perf)
    freezes = generated_freezes(perf)
    if eights >= MIN_EIGHTS and len(freezes) / eights > FREEZES_PER_EIGHT:
        return [f"{len(freezes)} generated freezes in {eights:g} dancer 8-counts"], round(eights)
    return [], round(eights)


def generated_freezes(perf) -> list:
    return [c for c in perf.cues if c.category == "freeze" and not c.pinned]


def dancer_eights(perf) -> float:
    """8-counts danced, summed over the dancers on stage."""
    return sum(perf.timeline.sections[i.index].counts / 8 * len(i.dancers) for i in perf.sections)


@rule("hits-caught")
def hits_caught(perf):
    """At least 75 % of the music's hits (but section-opening crashes) are caught by a finisher of
    every dancer on stage, on the hit's counted beat. A hit inside a pinned move is the
    choreographer's to place, and a canon follower dances the leader's phrase later by design:
    neither is counted."""
    violators, total = hits_missed(perf)
    return _within(violators, total, HITS_SHARE), total


def hits_missed(perf) -> tuple[list, int]:
    """Each (hit, dancer on stage) not caught by that dancer's finisher, of how many chances."""
    by, violators, total = _by_dancer(perf), [], 0
    for hit in perf.hits:
        info = perf.sections[hit.section]
        count_ticks = _count_ticks(perf, hit.section)
        if hit.at_ticks <= info.start_ticks:
            continue
        snapped = info.start_ticks + (hit.at_ticks - info.start_ticks + count_ticks // 2) // count_ticks * count_ticks
        for dancer in info.dancers:
            if any(c.pinned and c.start_ticks <= snapped < c.end_ticks for c in by[(hit.section, dancer)]):
                continue
            if info.formation == "canon" and dancer != info.dancers[0]:
                continue
            total += 1
            if not any(CATEGORIES[c.category].finisher and c.accent_ticks in (hit.at_ticks, snapped)
                       for c in by[(hit.section, dancer)]):
                violators.append(f"{dancer} misses the {hit.kind} at tick {hit.at_ticks}")
    return violators, total


@rule("formations-share-time")
def formations_share_time(perf):
    """Each section keeps its formation's promise (see the checks below), one verdict per section;
    a section shorter than an 8-count is too short to pass the floor or join a group."""
    by, violators = _by_dancer(perf), []
    for info in perf.sections:
        long_enough = perf.timeline.sections[info.index].counts >= 8 and len(info.dancers) > 1
        check = FORMATION_CHECKS.get(info.formation) if long_enough else None
        for problem in check(perf, info, by) if check else ():
            violators.append(f"{info.formation} section {info.index + 1} {info.name!r}: {problem}")
    return violators, len(perf.sections)


def call_response_turns(perf, info, by) -> list[str]:
    """The floor passes every 8-count (a short last stretch belongs to the turn before it): the
    dancer whose turn it is goes down, the others hold a groove, toprock, uprock or burn standing
    (a suicide onto the turn's last count takes the floor)."""
    count_ticks, n, found = _count_ticks(perf, info.index), len(info.dancers), []
    counts = perf.timeline.sections[info.index].counts
    starts = list(range(0, counts, 8))
    if len(starts) > 1 and counts - starts[-1] < 8:
        starts.pop()
    for k, (e, f) in enumerate(zip(starts, starts[1:] + [counts])):
        a, b = info.start_ticks + e * count_ticks, info.start_ticks + f * count_ticks
        turn = info.dancers[k % n]
        if not any(not _standing(c) for c in by[(info.index, turn)] if a <= c.start_ticks < b):
            found.append(f"8-count {k + 1}: {turn} has the floor but stays up")
        for other in info.dancers:
            if other != turn and any(c.category not in STANDING + ("getup", "transition") and not
                                     (c.category == "suicide" and c.accent_ticks >= b - count_ticks)
                                     for c in by[(info.index, other)] if a <= c.start_ticks < b):
                found.append(f"8-count {k + 1}: {other} leaves the standing groove during {turn}'s turn")
    return found


def canon_waits_then_copies(perf, info, by) -> list[str]:
    """Followers hold standing during their offset, then dance the leader's phrase: each of the
    leader's moves that fits in the section starts, shifted by the follower's offset, at the same
    count and body level for the follower (a weaker dancer may split one into two; one who cannot
    reach the leader's body level in the offset joins the phrase within the 8-count after entering)."""
    lead, count_ticks, found = by[(info.index, info.dancers[0])], _count_ticks(perf, info.index), []
    for k, dancer in enumerate(info.dancers[1:], 1):
        shift = k * info.offset_counts * count_ticks
        mine = by[(info.index, dancer)]
        starts = {(c.start_ticks, c.start_level) for c in mine}
        found += [f"{dancer}: {c.move} during the offset" for c in mine if c.start_ticks < info.start_ticks + shift
                  and not _standing(c) and c.category not in ("getup", "transition")]
        phrase = [c for c in lead if c.end_ticks + shift <= info.end_ticks]
        joining = [c for c in phrase if c.start_ticks < info.start_ticks + 8 * count_ticks]
        joined = next((j for j, c in enumerate(joining) if (c.start_ticks + shift, c.start_level) in starts), 0)
        found += [f"{dancer} does not dance the leader's {c.move} {info.offset_counts * k} counts later"
                  for c in phrase[joined:] if (c.start_ticks + shift, c.start_level) not in starts]
    return found


def unison_together(perf, info, by) -> list[str]:
    """From the first count where they all meet (a dancer arriving at another body level joins
    within the first round), every move of the most skilled dancer starts at the same count and
    body level for everyone (a weaker dancer may split it into two moves)."""
    skills = {d.name: d.skill for d in perf.cast}
    lead = max(info.dancers, key=lambda d: (skills[d], -info.dancers.index(d)))
    starts = {d: {(c.start_ticks, c.start_level) for c in by[(info.index, d)]} for d in info.dancers}
    marks = [(c.start_ticks, c.start_level) for c in by[(info.index, lead)]]
    joined = next((k for k, m in enumerate(marks) if all(m in starts[d] for d in info.dancers)), None)
    found = []
    for dancer in info.dancers:
        apart = len(marks) if joined is None else sum(m not in starts[dancer] for m in marks[joined:])
        if dancer != lead and apart:
            found.append(f"{dancer} is out of step with {lead} on {apart} moves")
    return found


def mirror_same_moves(perf, info, by) -> list[str]:
    """Everyone dances the first dancer's moves at the same counts (from where a dancer arriving at
    another body level has joined), every second dancer mirrored."""
    lead = [(c.start_ticks, c.move) for c in by[(info.index, info.dancers[0])]]
    found = []
    for k, dancer in enumerate(info.dancers):
        mine = by[(info.index, dancer)]
        moves = [(c.start_ticks, c.move) for c in mine]
        joined = next((j for j, m in enumerate(lead) if moves[-(len(lead) - j):] == lead[j:]), len(lead))
        if joined > len(lead) // 2 and not any(c.pinned for c in mine):
            found.append(f"{dancer} does not dance the same moves")
        if any(c.mirrored != (k % 2 == 1) for c in mine):
            found.append(f"{dancer} is not marked {'mirrored' if k % 2 else 'unmirrored'}")
    return found


def duet_complements(perf, info, by) -> list[str]:
    """One partner is up while the other is down for at least half the counts (pinned stretches
    are the choreographer's)."""
    a, b = (by[(info.index, d)] for d in info.dancers)
    ticks = range(info.start_ticks, info.end_ticks, _count_ticks(perf, info.index))
    free = [t for t in ticks if not _at(a, t).pinned and not _at(b, t).pinned]
    same = sum(_up(_at(a, t)) == _up(_at(b, t)) for t in free)
    if len(free) >= MIN_DUET_COUNTS and same > (1 - DUET_SHARE) * len(free):
        return [f"both up or both down on {same} of {len(free)} unpinned counts"]
    return []


FORMATION_CHECKS = {"call-response": call_response_turns, "canon": canon_waits_then_copies,
                    "unison": unison_together, "mirror": mirror_same_moves, "duet": duet_complements}


def _up(cue) -> bool:
    """Up: dancing from standing (a go-down is danced from standing until it lands)."""
    return cue.start_level == "standing"


def _at(cues, tick):
    return next(c for c in cues if c.start_ticks <= tick < c.end_ticks)


@rule("move-variety")
def move_variety(perf):
    """In a long solo show no single non-transition move is more than 6 % of the cues."""
    counted = [c.move for c in perf.cues if c.category != "transition"]
    if len(counted) < LONG_SHOW_CUES or len(perf.cast) > 1:
        return [], len(counted)
    top = Counter(counted).most_common()
    return [f"{m}: {n} of {len(counted)} cues" for m, n in top if n / len(counted) > MOVE_SHARE], len(counted)
