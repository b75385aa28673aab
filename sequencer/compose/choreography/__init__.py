"""Choreography: every dancer's moves in every section, fitted exactly onto the counted beats.

Per section: the rounds (phrases of `round_counts` 8-counts) each get a template of the mood's
grammar and a target energy from the arc; the formation says who leads, copies, answers or
complements; pins are placed and checked; then the search (`rounds.py`) fills each round
for each dancer, and the chosen moves become timed `MoveCue`s.
"""

from ...moves import LEVELS, MoodRules, rules_for
from ...performance import Hit, MoveCue, SectionInfo
from ...score import Score
from ...timeline import Timeline
from .accents import section_accents
from .dancer import DancerState
from .formations import Role, roles
from .grammar import layout
from .options import LEVEL_INDEX, Palette, allowed_categories, build_palette
from .phrasing import RoundPlan, partner_rounds, plan_rounds
from .pins import PlacedPin, place_pins, unreachable_error
from .rounds import INF, Segment, Unreachable, cost_to_go, walk

STANDING = LEVEL_INDEX["standing"]
APPROACH_BEATS = 4  # counted beats before a pin where any of the mood's categories may lead into it


class _Search:
    """Caches shared by every dancer and section of one show: palettes and cost-to-go tables."""

    def __init__(self, score: Score):
        self.score = score
        self.palettes: dict = {}
        self.values: dict = {}

    def palette(self, mood, rules: MoodRules, skill: int, target: float, power_on: bool) -> Palette:
        key = (mood.name, skill, target, power_on)
        if key not in self.palettes:
            lib = self.score.library
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


def choreograph(score: Score, timeline: Timeline, sections: tuple[SectionInfo, ...],
                hits: tuple[Hit, ...]) -> tuple[MoveCue, ...]:
    """Every dancer's move cues, sorted by (start_ticks, dancer)."""
    search = _Search(score)
    states: dict[str, DancerState] = {}
    levels: dict[str, int] = {}
    cues: list[MoveCue] = []
    previous_energy = None
    for info, laid in zip(sections, timeline.sections):
        mood = score.library.moods[info.mood]
        rules = rules_for(score.library.rules, mood.name, mood.energy)
        plans = plan_rounds(score, info.index, rules, mood.energy, previous_energy)
        accents = section_accents(laid, info.index, hits)
        chosen: list[list[tuple[int, object]]] = []
        section_roles = roles(info.formation, info.dancers, info.offset_counts, len(plans))
        group_skill = min(score.dancer(d).skill for d in info.dancers)
        for role in section_roles:
            state = states.setdefault(role.dancer, DancerState("", rules.variety_window, rules.repeat))
            state.reset_rules(f"{score.seed}:{info.index}:{role.dancer}:taste", rules.variety_window, rules.repeat)
            copy = None
            if role.follows is not None:
                copy = {beat + role.offset_beats: (opt.key, opt.length) for beat, opt in chosen[role.follows]}
            if role.partner is not None:
                state.partner = _categories_per_beat(chosen[role.partner], laid.beats)
            skill = group_skill if role.shared_skill else score.dancer(role.dancer).skill
            pins = place_pins(score, laid, [p for p in score.sections[info.index].pins if p.dancer == role.dancer],
                              (role.dancer,))
            level = levels.get(role.dancer, STANDING)
            lead = chosen[role.follows] if role.follows is not None else None
            joined = _join(search, role, state, mood, rules, skill, plans, accents, level, lead) \
                if lead and not role.offset_beats and not pins else None
            if joined:
                moves = joined
            else:
                own_plans = partner_rounds(plans) if role.partner is not None else plans
                moves = _dance_role(search, role, state, mood, rules, skill, own_plans, accents, pins, level,
                                    copy)
            chosen.append(moves)
            levels[role.dancer] = moves[-1][1].end
            cues.extend(_cues(role, info.index, laid, moves))
        for dancer in list(levels):
            if dancer not in info.dancers:
                levels[dancer] = STANDING  # offstage: they walk back in standing
        previous_energy = mood.energy
    cues.sort(key=lambda c: (c.start_ticks, c.dancer))
    return tuple(cues)


def _join(search: _Search, role: Role, state: DancerState, mood, rules: MoodRules, skill: int,
          plans: list[RoundPlan], accents: list[int], level: int, lead):
    """Unison and mirror: reach the lead's level by one of the lead's first move boundaries with
    moves of one's own, then dance exactly the lead's moves. None if that is not possible."""
    if any(opt.pinned for _, opt in lead):
        return None  # the lead's pins are the lead's; the others copy what they can through the search
    joined = []
    if lead[0][1].start != level:
        allowed, limit, palettes = _layout(search, role, mood, rules, skill, plans)
        round_end = plans[0].end
        for k, (beat, opt) in enumerate(lead[1:], 1):
            if beat > round_end:
                break
            terminal = [0.0 if lv == opt.start else INF for lv in range(len(LEVELS))]
            segment = _segment(0, beat, allowed, [min(x, beat) for x in limit[:beat]], accents, [])
            palette = palettes[0][1]
            values = cost_to_go(segment, palette, terminal)
            if values[0][level] < INF:
                state.offset = 0
                joined = walk(segment, palette, values, level, state)
                lead = lead[k:]
                break
        else:
            return None
        if not joined:
            return None
    for beat, opt in lead:
        state.chose(beat, opt)
    return joined + list(lead)


def _layout(search: _Search, role: Role, mood, rules: MoodRules, skill: int, plans: list[RoundPlan]):
    """Per beat of the section: the categories a free move may start with and how far it may run;
    and per round, the palette of options (with its cache key)."""
    copying = role.follows is not None and role.offset_beats > 0
    allowed, limit, palettes = [], [], []
    for number, plan in enumerate(plans):
        answering = number in role.answers
        target = min(plan.energy, 2.0) if answering else plan.energy
        power_on = target >= (rules.power_energy or 0)
        palette = search.palette(mood, rules, skill, target, power_on)
        templates = rules.answer if answering else rules.rounds
        template = templates[(plan.variant + role.variant_shift) % len(templates)]
        length = plan.end - plan.start
        if copying:
            allowed.extend([palette.categories] * length)
        else:
            allowed.extend(layout(template, length, palette.categories))
        limit.extend([plan.end] * length)
        palettes.append(((mood.name, skill, target, power_on), palette))
    return allowed, limit, palettes


def _dance_role(search: _Search, role: Role, state: DancerState, mood, rules: MoodRules, skill: int,
                plans: list[RoundPlan], accents: list[int], pins: list[PlacedPin], level: int, copy=None):
    """Search one dancer's moves through a section, segment by segment."""
    beats = plans[-1].end
    allowed, limit, palettes = _layout(search, role, mood, rules, skill, plans)
    for pin in pins:  # the grammar steps aside just before a pin, so the dancer can get there any way
        for t in range(max(pin.beat - APPROACH_BEATS, 0), pin.beat):
            number = next(k for k, plan in enumerate(plans) if plan.start <= t < plan.end)
            allowed[t] = palettes[number][1].categories
    spans = _segments(plans, pins)
    segments = [_segment(start, end, allowed, limit, accents, [p for p in pins if start <= p.beat < end], copy)
                for start, end, _ in spans]
    tables: list = [None] * len(spans)
    for k in range(len(spans) - 1, -1, -1):
        following = segments[k + 1] if k + 1 < len(spans) else None
        terminal = tables[k + 1][0] if following and (following.pins or following.prefer) else None
        palette_key, palette = palettes[spans[k][2]]
        tables[k] = search.cost_to_go(palette_key, segments[k], palette, terminal)
    moves: list = []
    for (start, end, number), segment, values in zip(spans, segments, tables):
        state.offset = start
        try:
            chosen = walk(segment, palettes[number][1], values, level, state)
        except Unreachable:
            raise _explain(search.score, role.dancer, beats, allowed, limit, accents, pins, palettes[0][1],
                           moves[0][1].start if moves else level, segment, level) from None
        moves.extend((start + t, opt) for t, opt in chosen)
        level = chosen[-1][1].end
    assert moves and moves[-1][0] + moves[-1][1].length == beats
    return moves


def _segments(plans: list[RoundPlan], pins: list[PlacedPin]):
    """(start, end, first round number) of each searched stretch: rounds, joined where a pin crosses."""
    spans = []
    for number, plan in enumerate(plans):
        crossing = spans and any(p.beat < spans[-1][1] and p.beat + max(o.length for o in p.options) > plan.start
                                 for p in pins if p.beat >= spans[-1][0])
        if crossing:
            spans[-1] = (spans[-1][0], plan.end, spans[-1][2])
        else:
            spans.append((plan.start, plan.end, number))
    return spans


def _segment(start, end, allowed, limit, accents, pins: list[PlacedPin], copy=None) -> Segment:
    pin_at = {p.beat - start: p.options for p in pins}
    starts = sorted(pin_at)
    lim, k = [], 0
    for t in range(end - start):
        while k < len(starts) and starts[k] <= t:
            k += 1
        bound = limit[start + t] - start
        if k < len(starts):
            bound = min(bound, starts[k])
        lim.append(min(bound, end - start))
    prefer = {b - start: want for b, want in copy.items() if start <= b < end} if copy else None
    return Segment(end - start, tuple(allowed[start:end]), tuple(lim), tuple(accents[start:end]), pin_at, prefer)


def _explain(score, dancer, beats, allowed, limit, accents, pins, palette, level, failed: Segment, failed_level):
    """The first pin of the section that makes it impossible from `level`, as an error pointing at the pin.

    Only pins make a stretch impossible (a free one can always be filled), so when the whole-section
    check does not single one out, the first pin of the stretch that failed is the one to move.
    """
    for k in range(1, len(pins) + 1):
        segment = _segment(0, beats, allowed, limit, accents, pins[:k])
        if cost_to_go(segment, palette)[0][level] == INF:
            before = pins[k - 2] if k > 1 else None
            from_level = LEVELS[before.options[0].end] if before else LEVELS[level]
            return unreachable_error(score, pins[k - 1], from_level, dancer, before)
    first = min(failed.pins)
    culprit = next(p for p in pins if p.options is failed.pins[first])
    return unreachable_error(score, culprit, LEVELS[failed_level], dancer)


def _categories_per_beat(moves, beats: int) -> list[str]:
    cats = [""] * beats
    for beat, opt in moves:
        at = beat
        for move, length in opt.steps:
            cats[at:at + length] = [move.category] * length
            at += length
    return cats


def _cues(role: Role, section: int, laid, moves) -> list[MoveCue]:
    beat_ticks = laid.meter.beat_ticks
    cues = []
    for beat, opt in moves:
        at = laid.start_ticks + beat * beat_ticks
        for move, length in opt.steps:
            accent = at + (move.accent - 1) * beat_ticks if move.accent else None
            cues.append(MoveCue(role.dancer, move.id, move.name, move.category, section, at, length * beat_ticks,
                                move.start_level, move.end_level, accent_ticks=accent, pinned=opt.pinned,
                                combo=opt.combo, mirrored=role.mirrored))
            at += length * beat_ticks
    return cues
