"""Page arithmetic shared by the long lists (pickup documents, back-office tasks): 50 rows a page.

Kept out of the states so that both lists turn pages the same way: a filter that shrinks the list
never leaves the screen on a page past its end, and "next" at the end stays put.
"""

PAGE_SIZE = 50


def clamp(offset: int, total: int) -> int:
    """The offset of an existing page: the last page's when the list got shorter, 0 for an empty list."""
    return max(0, min(offset, max(total - 1, 0) // PAGE_SIZE * PAGE_SIZE))


def turn(offset: int, total: int, forward: bool) -> int:
    """The offset of the next or previous page, staying on the first or last one at the ends."""
    return clamp(offset + PAGE_SIZE if forward else offset - PAGE_SIZE, total)
