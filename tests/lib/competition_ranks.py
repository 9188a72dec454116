"""Competition ranks as zb's composite scores take them, written from the
rule: the largest first; going down, a value within 1e-12 of its tie's
first (relative to the largest value in magnitude) takes that first's rank; None
stays None.  The composite tests' Python references use it:
sys.path.insert(0, "tests/lib") (the suites run from the top of the tree),
then from competition_ranks import ranks."""


def ranks(c):
    """The rank of each value of the list c (None: missing)."""
    rank_of, first, r = {}, None, 0
    scale = max((abs(x) for x in c if x is not None), default=0)
    for i, x in enumerate(sorted((x for x in c if x is not None), reverse=True)):
        if first is None or first - x > 1e-12 * scale:
            first, r = x, i + 1
        rank_of.setdefault(x, r)
    return [None if x is None else rank_of[x] for x in c]
