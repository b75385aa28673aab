"""Choreography: every dancer's moves in every section, fitted exactly onto the counted beats.

Per section: the rounds follow the music (`phrasing.py`); the formation table
(`sequencer/formations.py`) says who leads, who copies, who waits and who takes turns on the
floor; the pins are placed (`pins.py`); the search (`search.py`) fills each dancer's rounds with
the round grammar (`grammar.py`), and the chosen moves become timed `MoveCue`s, kept with the
rounds and pins they were danced in.
"""

from dataclasses import dataclass
from operator import attrgetter

from ...formations import Role, roles
from ...moves import LEVELS, MoodRules, rules_for
from ...performance import Hit, MoveCue, PinnedMove, Round, SectionInfo
from ..plan import SectionPlan, ShowPlan
from .accents import FINISH, dancer_accents, music_hit_counts
from .copying import copy_moves, join_level
from .dancer import DancerState
from .grammar import WAIT, round_layout, support_layout
from .options import LEVEL_INDEX, Option, Palette, allowed_categories, build_palette
from .phrasing import RoundPlan, plan_rounds, turn_rounds
from .pins import PlacedPin, pin_error, place_pins
from .search import INF, Segment, Unreachable, cost_to_go, walk

STANDING = LEVEL_INDEX["standing"]
APPROACH_COUNTS = 4  # counted beats before a pin where any of the mood's categories may lead into it

Moves = list[tuple[int, Option]]  # (section count where it starts, option)


@dataclass(frozen=True, slots=True)
class Dance:
    """What the choreography adds to a performance."""

    cues: tuple[MoveCue, ...]
    rounds: tuple[Round, ...]
    pins: tuple[PinnedMove, ...]


class _Search:
    """Caches shared by every dancer and section of one show: palettes and cost-to-go tables."""

    def __init__(self, show: ShowPlan):
        self.show = show
        self.palettes: dict = {}
        self.values: dict = {}

    def palette(self, mood, rules: MoodRules, skill: int, target: float, power_on: bool) -> Palette:
        key = (mood.name, skill, target, power_on)
        if key not in self.palettes:
            lib = self.show.library
            self.palettes[key] = build_palette(lib.moves, lib.combos, mood, rules, skill, target,
                                               allowed_categories(rules, power_on))
        return self.palettes[key]

    def cost_to_go(self, palette_key, segment: Segment, palette: Palette, terminal=None):
        key = segment.key()
        if key is None or terminal is not None:
            return cost_to_go(segment, palette, terminal)
        key = (palette_key, key)
        if key not in self.values:
            self.values[key] = cost_to_go(segment, palette)
        return self.values[key]


@dataclass
class _Section:
    """What every dancer of one section shares while their moves are searched."""

    search: _Search
    show: ShowPlan
    section: SectionPlan
    info: SectionInfo
    counts: int
    mood: object
    rules: MoodRules
    music: list[tuple[int, int]]
    plans: list[RoundPlan]


def choreograph(show: ShowPlan, hits: tuple[Hit, ...]) -> tuple[MoveCue, ...]:
    """Every dancer's move cues, sorted by (start_ticks, dancer)."""
    return dance(show, hits).cues


def dance(show: ShowPlan, hits: tuple[Hit, ...]) -> Dance:
    """Every dancer's move cues, rounds and placed pins."""
    search = _Search(show)
    states: dict[str, DancerState] = {}
    levels: dict[str, int] = {}
    cues, rounds, pins = [], [], []
    previous_energy = None
    for section in show.sections:
        info, laid, mood = section.info, section.time, section.mood
        rules = rules_for(show.library.rules, mood.name, mood.energy)
        music = music_hit_counts(laid, info.index, hits)
        plans = plan_rounds(laid.counts, music, rules.round_counts, mood.energy, previous_energy,
                            f"{show.seed}:{info.index}:rounds")
        ctx = _Section(search, show, section, info, laid.counts, mood, rules, music, plans)
        skills = tuple(section.skills[d] for d in info.dancers)
        section_roles = roles(info.formation, info.dancers, skills, info.offset_counts)
        danced = _section(ctx, section_roles, states, levels, skills, capped=False)
        if any(role.follows is not None and not copied and not [p for p in placed if p.pin.dancer]
               for role, (_, _, _, copied, placed) in zip(section_roles, danced)):
            danced = _section(ctx, section_roles, states, levels, skills, capped=True)  # the group can't follow
        count_ticks = laid.meter.count_ticks
        for role, (own_plans, moves, marks, copied, placed) in zip(section_roles, danced):
            levels[role.dancer] = moves[-1][1].end
            cues.extend(_cues(role, info.index, laid.start_ticks, count_ticks, moves, marks,
                              own_plans if role.turn is not None else None))
            rounds.extend(_rounds(role.dancer, info.index, laid.start_ticks, count_ticks, own_plans, moves, copied))
            pins.extend(PinnedMove(role.dancer, info.index, laid.start_ticks + p.start_counts * count_ticks,
                                   p.pin.move, p.pin.combo,
                                   p.pin.hold_counts * count_ticks if p.pin.hold_counts else None, p.pin.line)
                        for p in placed)
        for dancer in list(levels):
            if dancer not in info.dancers:
                levels[dancer] = STANDING  # offstage: they walk back in standing
        previous_energy = mood.energy
    cues.sort(key=attrgetter("start_ticks", "dancer"))
    return Dance(tuple(cues), tuple(rounds), tuple(pins))


def _section(ctx: _Section, section_roles: list[Role], states: dict, levels: dict, skills: tuple[int, ...],
             capped: bool) -> list:
    """Every role's (rounds, moves, marks, copied, pins) in one section; `capped`: the whole group
    dances at its weakest dancer's skill (when a follower could not follow the leader's moves)."""
    show, rules = ctx.show, ctx.rules
    done: list[Moves] = []
    done_plans: list[list[RoundPlan]] = []
    danced = []
    for role in section_roles:
        state = states.setdefault(role.dancer, DancerState("", rules.variety_window, rules.repeat))
        state.reset_rules(f"{show.seed}:{ctx.info.index}:{role.dancer}:taste", rules.variety_window, rules.repeat)
        placed = place_pins(ctx.section, show.library, role.dancer)
        skill = min(skills) if role.capped or capped else ctx.section.skills[role.dancer]
        level = levels.get(role.dancer, STANDING)
        own_plans, moves, marks, copied = _dance_role(ctx, role, section_roles, done, done_plans, state, skill,
                                                      placed, level)
        done.append(moves)
        done_plans.append(own_plans)
        danced.append((own_plans, moves, marks, copied, placed))
    return danced


def _dance_role(ctx: _Section, role: Role, section_roles: list[Role], done: list[Moves],
                done_plans: list[list[RoundPlan]], state: DancerState, skill: int, placed: list[PlacedPin],
                level: int):
    """(rounds, moves, role mark per move, whether the moves copy a leader) of one dancer in a section."""
    if role.turn is not None:
        plans = turn_rounds(ctx.plans, ctx.music, role.turn, len(section_roles))
        moves = _own(ctx, role.dancer, skill, plans, placed, level, state)
        marks = [_turn_mark(plans, t) for t, _ in moves]
        return plans, moves, marks, False
    if role.follows is None:
        moves = _own(ctx, role.dancer, skill, ctx.plans, placed, level, state)
        return ctx.plans, moves, [""] * len(moves), False
    lead, lead_plans = done[role.follows], done_plans[role.follows]
    own_pins = [p for p in placed if p.pin.dancer is not None]  # a dancer's own pins take them out of the copy
    if role.offset_counts:
        moves = _canon(ctx, role, lead, skill, level, state) if not own_pins else None
        if moves is not None:
            waiting = [t < role.offset_counts for t, _ in moves]
            marks = ["wait" if w else ("entry" if k and waiting[k - 1] else "") for k, w in enumerate(waiting)]
            return _shifted(lead_plans, role.offset_counts, ctx.counts), moves, marks, True
    elif not own_pins:
        moves = _unison(ctx, role, lead, skill, level, state)
        if moves is not None:
            return lead_plans, moves, [""] * len(moves), True
    shift = role.offset_counts
    prefer = {t + shift: (opt.key, opt.length_counts) for t, opt in lead}
    moves = _own(ctx, role.dancer, skill, ctx.plans, placed, level, state, prefer)
    return ctx.plans, moves, [""] * len(moves), False


def _turn_mark(plans: list[RoundPlan], t: int) -> str:
    plan = next(p for p in plans if p.start_counts <= t < p.end_counts)
    return "support" if t < plan.start_counts + plan.support_counts else "floor"


def _shifted(plans: list[RoundPlan], offset: int, counts: int) -> list[RoundPlan]:
    """A canon follower's rounds: the leader's, `offset` counts later, cut at the section's end."""
    shifted = [RoundPlan(0, offset, None, plans[0].energy, plans[0].variant, offset)] if offset else []
    for p in plans:
        s, e = p.start_counts + offset, min(p.end_counts + offset, counts)
        if s < counts:
            finish = p.finish_counts + offset if p.finish_counts is not None else None
            finish = finish if finish is not None and finish < counts else None
            shifted.append(RoundPlan(s, e, finish, p.energy, p.variant, p.support_counts))
    return shifted


# -- a dancer's own search --------------------------------------------------------------------
def _layout(ctx: _Section, skill: int, plans: list[RoundPlan]):
    """Per count of the section: the categories a free move may start with and how far it may run;
    and per round, the palette of options (with its cache key)."""
    allowed, limit, palettes = [], [], []
    rules = ctx.rules
    for plan in plans:
        power_on = plan.energy >= (rules.power_energy or 0)
        palette = ctx.search.palette(ctx.mood, rules, skill, plan.energy, power_on)
        template = rules.rounds[plan.variant % len(rules.rounds)]
        length = plan.length_counts
        if plan.finish_counts is None:
            allowed.extend(support_layout(plan.start_counts, length, palette.categories))
            limit.extend([plan.end_counts] * length)
        else:
            cats, ends = round_layout(plan, template, palette.categories, plan.support_counts)
            allowed.extend(cats)
            limit.extend(plan.start_counts + end for end in ends)
        palettes.append(((ctx.mood.name, skill, plan.energy, power_on), palette))
    return allowed, limit, palettes


def _own(ctx: _Section, dancer: str, skill: int, plans: list[RoundPlan], pins: list[PlacedPin], level: int,
         state: DancerState, prefer: dict | None = None) -> Moves:
    """Search one dancer's moves through a section, round by round (rounds a pin crosses are joined)."""
    allowed, limit, palettes = _layout(ctx, skill, plans)
    accents = dancer_accents(ctx.counts, plans, ctx.music)
    for pin in pins:  # the grammar steps aside just before a pin, so the dancer can get there any way
        for t in range(max(pin.start_counts - APPROACH_COUNTS, 0), pin.start_counts):
            allowed[t] = palettes[_round_at(plans, t)][1].categories
        for t in range(pin.start_counts, min(pin.start_counts + max(o.length_counts for o in pin.options), ctx.counts)):
            accents[t] = 0  # the choreographer decides where a pinned stretch hits
    spans = _spans(plans, pins)
    try:
        return _walk_spans(ctx, spans, allowed, limit, accents, palettes, pins, level, state, prefer)
    except Unreachable:
        pass
    free = [palettes[_round_at(plans, t)][1].categories for t in range(ctx.counts)]  # the grammar gives way
    try:
        return _walk_spans(ctx, spans, free, limit, accents, palettes, pins, level, state, prefer)
    except Unreachable as failed:
        raise pin_error(ctx.show, failed.args[0].pin if failed.args else pins[0].pin,
                        f"{dancer} cannot reach the pinned move here from {LEVELS[level]}",
                        expected="a later position or a move that starts where the dancer is") from None


def _walk_spans(ctx, spans, allowed, limit, accents, palettes, pins, level, state, prefer) -> Moves:
    segments = [_segment(start, end, allowed, limit, accents, [p for p in pins if start <= p.start_counts < end],
                         prefer) for start, end, _ in spans]
    tables: list = [None] * len(spans)
    for k in range(len(spans) - 1, -1, -1):
        following = segments[k + 1] if k + 1 < len(spans) else None
        terminal = tables[k + 1][0] if following and (following.pins or following.prefer) else None
        palette_key, palette = palettes[spans[k][2]]
        tables[k] = ctx.search.cost_to_go(palette_key, segments[k], palette, terminal)
    moves: Moves = []
    for (start, end, number), segment, values in zip(spans, segments, tables):
        try:
            chosen = walk(segment, palettes[number][1], values, level, state)
        except Unreachable:
            inside = [p for p in pins if start <= p.start_counts < end]
            raise Unreachable(*inside[:1]) from None
        moves.extend((start + t, opt) for t, opt in chosen)
        level = chosen[-1][1].end
    return moves


def _round_at(plans: list[RoundPlan], t: int) -> int:
    return next(k for k, plan in enumerate(plans) if plan.start_counts <= t < plan.end_counts)


def _spans(plans: list[RoundPlan], pins: list[PlacedPin]):
    """(start, end, first round number) of each searched stretch: rounds, joined where a pin crosses."""
    spans = []
    for number, plan in enumerate(plans):
        crossing = spans and any(p.start_counts < spans[-1][1]
                                 and p.start_counts + max(o.length_counts for o in p.options) > plan.start_counts
                                 for p in pins if p.start_counts >= spans[-1][0])
        if crossing:
            spans[-1] = (spans[-1][0], plan.end_counts, spans[-1][2])
        else:
            spans.append((plan.start_counts, plan.end_counts, number))
    return spans


def _segment(start, end, allowed, limit, accents, pins: list[PlacedPin], prefer=None) -> Segment:
    pin_at = {p.start_counts - start: p.options for p in pins}
    starts = sorted(pin_at)
    lim, k = [], 0
    for t in range(end - start):
        while k < len(starts) and starts[k] <= t:
            k += 1
        bound = limit[start + t] - start
        if k < len(starts):
            bound = min(bound, starts[k])
        lim.append(min(bound, end - start))
    wish = {b - start: want for b, want in prefer.items() if start <= b < end} if prefer else None
    return Segment(end - start, tuple(allowed[start:end]), tuple(lim), tuple(accents[start:end]), pin_at, wish)


# -- formations that copy a leader ----------------------------------------------------------
def _canon(ctx: _Section, role: Role, lead: Moves, skill: int, level: int, state: DancerState) -> Moves | None:
    """Hold a groove standing for the offset, then dance the leader's phrase (with substitutes where
    it is above the dancer's skill); what the section has left after the copy is the dancer's own."""
    offset, counts = min(role.offset_counts, ctx.counts), ctx.counts
    lib = ctx.show.library
    palette_key, palette = _free_palette(ctx, skill)
    moves: Moves = []
    copied = copy_moves(lib.moves, [(t + offset, opt) for t, opt in lead if t + offset < counts], skill, counts,
                        _own_between(ctx, palette, palette_key, state))
    if copied is None:
        return None
    if offset:
        wait_layout = support_layout(0, offset, palette.categories, WAIT)
        target = copied[0][1].start if copied else None
        wait = _fill(palette, palette_key, ctx, 0, offset, wait_layout, level, state, target, relax=False)
        if wait is None and copied:  # they cannot be there in time: wait standing, join the phrase later
            wait = _fill(palette, palette_key, ctx, 0, offset, wait_layout, level, state)
            found = wait and join_level(wait[-1][1].end, copied, offset + 8, lambda a, b, end_level: _fill(
                palette, palette_key, ctx, a, b, [palette.categories] * (b - a), wait[-1][1].end, state, end_level),
                offset)
            if not found:
                return None
            wait, copied = wait + found[0], found[1]
        if wait is None:
            return None
        moves.extend(wait)
        level = wait[-1][1].end
    moves.extend(copied)
    at = copied[-1][0] + copied[-1][1].length_counts if copied else offset
    level = copied[-1][1].end if copied else level
    if at < counts:
        rest = _fill(palette, palette_key, ctx, at, counts, [palette.categories] * (counts - at), level, state)
        if rest is None:
            return None
        moves.extend(rest)
    return moves


def _unison(ctx: _Section, role: Role, lead: Moves, skill: int, level: int, state: DancerState) -> Moves | None:
    """The leader's moves at the same counts, each above the dancer's skill replaced by one of the same
    length and levels; a dancer arriving at another body level first joins the leader at a boundary."""
    lib = ctx.show.library
    palette_key, palette = _free_palette(ctx, skill)
    copied = copy_moves(lib.moves, lead, skill, ctx.counts, _own_between(ctx, palette, palette_key, state))
    if copied is None:
        return None
    joined: Moves = []
    if copied[0][1].start != level:
        found = join_level(level, copied, ctx.plans[0].end_counts, lambda a, b, target: _fill(
            palette, palette_key, ctx, a, b, [palette.categories] * (b - a), level, state, target))
        if found is None:
            return None
        joined, copied = found
    return joined + copied


def _own_between(ctx: _Section, palette: Palette, palette_key, state: DancerState):
    """Where a leader's move has no substitute: the dancer's own moves between the same counts and levels."""
    def fill(start: int, end: int, start_level: int, end_level: int) -> Moves | None:
        return _fill(palette, palette_key, ctx, start, end, [palette.categories] * (end - start), start_level, state,
                     end_level)
    return fill


def _free_palette(ctx: _Section, skill: int):
    plan = ctx.plans[0]
    power_on = plan.energy >= (ctx.rules.power_energy or 0)
    return (ctx.mood.name, skill, plan.energy, power_on), ctx.search.palette(ctx.mood, ctx.rules, skill, plan.energy,
                                                                            power_on)


def _fill(palette: Palette, palette_key, ctx: _Section, start: int, end: int, allowed, level: int,
          state: DancerState, target: int | None = None, relax: bool = True) -> Moves | None:
    """Moves of the dancer's own from `start` to `end`, ending at level `target` if given, in the
    categories `allowed` (any of the palette's if those cannot do it and `relax`); None if impossible."""
    n = end - start
    accents = [0] * n
    if end == ctx.counts and target is None:
        accents[-1] = FINISH
    terminal = [0.0 if target is None or lv == target else INF for lv in range(len(LEVELS))]
    segment = Segment(n, tuple(allowed), tuple([n] * n), tuple(accents), {}, None)
    values = cost_to_go(segment, palette, terminal)
    if values[0][level] == INF and relax:
        allowed = [palette.categories] * n
        segment = Segment(n, tuple(allowed), tuple([n] * n), tuple(accents), {}, None)
        values = cost_to_go(segment, palette, terminal)
    if values[0][level] == INF:
        return None
    return [(start + t, opt) for t, opt in walk(segment, palette, values, level, state)]


# -- into the performance -------------------------------------------------------------------
def _cues(role: Role, section: int, start_ticks: int, count_ticks: int, moves: Moves, marks: list[str],
          turn_plans: list[RoundPlan] | None = None):
    cues = []
    for (beat, opt), mark in zip(moves, marks):
        at = start_ticks + beat * count_ticks
        count = beat
        for k, (move, length) in enumerate(opt.steps):
            if turn_plans is not None:  # whose turn it is, step by step (a pinned combo may cross turns)
                mark = _turn_mark(turn_plans, count)
            count += length
            accent = at + (move.accent - 1) * count_ticks if move.accent else None
            cues.append(MoveCue(role.dancer, move.id, move.name, move.category, section, at, length * count_ticks,
                                move.start_level, move.end_level, accent, opt.pinned, opt.combo, role.mirrored,
                                mark if k == 0 or mark in ("floor", "support", "wait") else "", move.short,
                                move.difficulty))
            at += length * count_ticks
    return cues


def _rounds(dancer: str, section: int, start_ticks: int, count_ticks: int, plans: list[RoundPlan], moves: Moves,
            copied: bool) -> list[Round]:
    found = []
    for p in plans:
        pinned = any(opt.pinned and t < p.end_counts and t + opt.length_counts > p.start_counts for t, opt in moves)
        found.append(Round(dancer, section, start_ticks + p.start_counts * count_ticks,
                           start_ticks + p.end_counts * count_ticks,
                           start_ticks + p.finish_counts * count_ticks if p.finish_counts is not None else None,
                           pinned, copied))
    return found

