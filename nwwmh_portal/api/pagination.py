"""Page-number pagination with `next` and `previous` links in the body and in a `Link` header (RFC 8288)."""

from rest_framework.pagination import PageNumberPagination


class LinkedPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    page_size_query_description = f"Results a page, 1 to {max_page_size} (default {page_size})."

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        links = [
            f'<{url}>; rel="{rel}"'
            for rel, url in (("next", self.get_next_link()), ("prev", self.get_previous_link()))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count"]["description"] = "Results in all pages."
        return result
