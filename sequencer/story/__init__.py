"""From story to score: scenes, their feeling, the characters, and a drafted score YAML.

`draft.draft_yaml` and `draft.draft_score` are what the CLI and `render` call; the other modules
each hold one step (split the text, read the lexicon, feel a scene, find the cast).
"""
