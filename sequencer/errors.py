"""Errors users can act on. Import-free so every module (and the CLI) can raise them cheaply.

`InputError` carries where the problem is (file, line, column), which field (`sections[2].bars`),
what is wrong and what would be valid. `InputErrors` bundles several, so `sequencer check`
reports every violation at once instead of stopping at the first.
"""


class SequencerError(Exception):
    """Root of every error this package raises on purpose."""

    exit_code = 1


class InputError(SequencerError):
    """Bad input: a score, a library file or a command-line argument. Exit code 2."""

    exit_code = 2

    def __init__(self, problem, *, file=None, line=None, column=None, field=None, expected=None, hint=None):
        self.problem = problem
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.expected = expected
        self.hint = hint
        super().__init__(self.message())

    def __reduce__(self):
        # Keep the location when the error crosses a process boundary (parallel exporters).
        return (_restore, (type(self), self.__dict__))

    def location(self):
        """`file:line:column`, as much of it as is known."""
        parts = [self.file or "sequencer"]  # no file: a command-line argument
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def message(self):
        text = f"{self.location()}: "
        if self.field:
            text += f"{self.field}: "
        text += self.problem
        if self.expected:
            text += f"; expected {self.expected}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def _restore(cls, state):
    error = cls.__new__(cls)
    error.__dict__.update(state)
    Exception.__init__(error, error.message())
    return error


class InputErrors(InputError):
    """Several input errors found in one pass, reported together in source order."""

    def __init__(self, errors):
        self.errors = sorted(errors, key=lambda e: (e.file or "", e.line or 0, e.column or 0))
        first = self.errors[0]
        super().__init__(first.problem, file=first.file, line=first.line, column=first.column,
                         field=first.field, expected=first.expected, hint=first.hint)

    def message(self):
        return "\n".join(e.message() for e in self.errors)


class OutputError(SequencerError):
    """The output cannot be written: not a folder, read-only, full, no permission. Exit code 4.

    The user's environment, not their score and not a bug; the message names the file.
    """

    exit_code = 4

    def __init__(self, problem, *, file, hint=None):
        self.problem, self.file, self.hint = problem, str(file), hint
        super().__init__(self.message())

    def __reduce__(self):
        return (_restore, (type(self), self.__dict__))

    def message(self):
        return f"{self.file}: cannot write the output: {self.problem}" + (f" ({self.hint})" if self.hint else "")


class MissingToolError(SequencerError):
    """An optional external tool (FluidSynth, a soundfont, MuseScore) is not installed. Exit code 3."""

    exit_code = 3


MAX_HINT_CHARS = 64  # longer names get no "did you mean" (no shipped name is near that long)


def shorten(value, limit: int = 60) -> str:
    """Text of a value for a message, cut in the middle to at most `limit` characters."""
    text = str(value)
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return f"{text[:half]}…{text[-(limit - 1 - half):]}"


def did_you_mean(word, known):
    """A 'did you mean …?' hint for a misspelled name, or None when nothing is close.

    Only candidates that could reach the similarity threshold are compared, and names longer than
    `MAX_HINT_CHARS` get no hint, so the cost per unknown name stays small.
    """
    word_l = str(word).lower()
    if len(word_l) > MAX_HINT_CHARS:
        return None
    best, best_score = None, 0.0
    for candidate in known:
        cand_l = str(candidate).lower()
        longest = max(len(word_l), len(cand_l), 1)
        if 1.0 - abs(len(word_l) - len(cand_l)) / longest < max(best_score, 0.6):
            continue  # the length difference alone keeps it below the threshold or the best so far
        score = _similarity(word_l, cand_l)
        if score > best_score:
            best, best_score = candidate, score
    return f"did you mean {best!r}?" if best is not None and best_score >= 0.6 else None


def _similarity(a, b):
    """Ratio of matching characters from the Levenshtein distance, without importing difflib."""
    if a == b:
        return 1.0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return 1.0 - prev[-1] / max(len(a), len(b))
