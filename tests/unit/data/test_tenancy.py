"""A tenant's page of a listing that holds other tenants' items too: full while there is more,
never past its limit, and going on from the last item read."""

from __future__ import annotations

from shared.data.dynamo import Page
from shared.data.tenancy import MOST_PAGES_READ, filled

LISTING = [f"{'a' if n % 5 == 0 else 'b'}{n:02d}" for n in range(40)]  # every fifth is a's


def read_page(limit: int, token: str | None) -> Page[str]:
    """The listing as DynamoDB pages it: `limit` items, a token while more are left."""
    start = int(token or 0)
    items = LISTING[start : start + limit]
    end = start + len(items)
    return Page(items, str(end) if end < len(LISTING) else None)


def test_a_page_is_filled_with_the_tenants_items_read_past_the_others():
    page = filled(read_page, lambda item: item.startswith("a"), 3, None)
    assert page.items == ["a00", "a05", "a10"]
    following = filled(read_page, lambda item: item.startswith("a"), 3, page.next_token)
    assert following.items == ["a15", "a20", "a25"]
    last = filled(read_page, lambda item: item.startswith("a"), 3, following.next_token)
    assert last.items == ["a30", "a35"] and last.next_token is None


def test_a_request_reads_a_bounded_number_of_pages():
    reads: list[str | None] = []

    def counted(limit: int, token: str | None) -> Page[str]:
        reads.append(token)
        return read_page(1, token)  # a page of one: the worst case for the bound

    page = filled(counted, lambda item: False, 5, None)
    assert page.items == [] and len(reads) == MOST_PAGES_READ
    assert page.next_token == str(MOST_PAGES_READ)  # the next request goes on from there
