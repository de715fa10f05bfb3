"""Full-text search over roles, ranked name > alternative titles > summary > scope of practice.

PostgreSQL: weighted tsvector with the English stemmer. SQLite: an FTS5 table with the porter
stemmer (`roles_role_fts`, kept in step with `roles_role` by triggers made in a migration), ranked
with weighted BM25. Both match every word of the query after stemming, so "prescribing" finds
"prescriber" and "physician assistant" finds the role whose alternative title it is.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, QuerySet, Value, When

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)

# Same order of importance on both databases.
FIELD_WEIGHTS = (
    ("name", "A", 10.0),
    ("alternative_titles", "B", 6.0),
    ("summary", "C", 3.0),
    ("scope_of_practice", "D", 1.0),
)


def search_terms(query: str) -> list[str]:
    """The words of a query, lower-cased, without punctuation or FTS syntax."""
    return [word.lower() for word in _WORD.findall(query[:MAX_QUERY_LENGTH])][:MAX_TERMS]


def search_roles(queryset: QuerySet, query: str) -> QuerySet:
    """Roles in `queryset` that match every word of `query`, best match first (`rank` annotated)."""
    terms = search_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, terms)
    return _search_sqlite(queryset, terms)


def _search_postgresql(queryset: QuerySet, terms: list[str]) -> QuerySet:
    vector = None
    for field, weight, _ in FIELD_WEIGHTS:
        part = SearchVector(field, weight=weight, config="english")
        vector = part if vector is None else vector + part
    search_query = SearchQuery(" ".join(terms), search_type="plain", config="english")
    # Filter on a real match (`@@`): ts_rank gives non-matching rows a tiny positive score.
    return (
        queryset.annotate(document=vector, rank=SearchRank(vector, search_query, weights=[0.1, 0.3, 0.6, 1.0]))
        .filter(document=search_query)
        .order_by("-rank", "name")
    )


def _search_sqlite(queryset: QuerySet, terms: list[str]) -> QuerySet:
    match = " AND ".join(f'"{term}"' for term in terms)
    weights = ", ".join(str(weight) for _, _, weight in FIELD_WEIGHTS)
    with connection.cursor() as cursor:
        cursor.execute(
            # Only the constant weights are formatted in; the user's words are a bound parameter.
            f"SELECT rowid, bm25(roles_role_fts, {weights}) FROM roles_role_fts WHERE roles_role_fts MATCH %s",  # noqa: S608
            [match],
        )
        # bm25() is lower-is-better; negate so that, as on PostgreSQL, a higher rank is a better match.
        ranks = {row_id: -score for row_id, score in cursor.fetchall()}
    if not ranks:
        return queryset.none()
    rank = Case(*(When(pk=pk, then=Value(score)) for pk, score in ranks.items()), output_field=FloatField())
    return queryset.filter(pk__in=ranks).annotate(rank=rank).order_by(F("rank").desc(), "name")
