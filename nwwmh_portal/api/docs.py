"""The API documentation page's content, read from the OpenAPI description the code generates.

The page is rendered on the server from these plain structures (no script), so it always matches
`/api/v1/schema/`.
"""

import functools
import posixpath
import re
from dataclasses import dataclass, field

from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "head", "options", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    location: str
    type: str
    required: bool
    description: str


@dataclass
class ResponseDoc:
    status: str
    description: str
    type: str
    type_anchor: str | None


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[Parameter]
    responses: list[ResponseDoc]
    needs_token: bool


@dataclass
class Section:
    title: str
    anchor: str
    operations: list[Operation] = field(default_factory=list)


@dataclass
class SchemaField:
    name: str
    type: str
    type_anchor: str | None
    required: bool
    description: str


@dataclass
class SchemaDoc:
    name: str
    anchor: str
    description: str
    fields: list[SchemaField]


@dataclass
class ApiDocs:
    title: str
    version: str
    description: str
    licence_name: str
    licence_url: str
    sections: list[Section]
    schemas: list[SchemaDoc]


def slugify(text: str) -> str:
    """ "get /api/v1/roles/{slug}/" → "get-api-v1-roles-slug"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def schema_anchor(name: str) -> str:
    return "schema-" + slugify(name)


def type_of(schema: dict) -> tuple[str, str | None]:
    """A short description of a JSON schema's type, and the anchor of the component it names (if any)."""
    if not schema:
        return "any", None
    if "$ref" in schema:
        name = posixpath.basename(schema["$ref"])  # "#/components/schemas/Role" → "Role"
        return name, schema_anchor(name)
    for combinator in ("allOf", "oneOf", "anyOf"):
        if combinator in schema:
            parts = [type_of(part) for part in schema[combinator]]
            text = " or ".join(part for part, _ in parts)
            anchor = next((anchor for _, anchor in parts if anchor), None)
            return text + (" or null" if schema.get("nullable") else ""), anchor
    kind = schema.get("type", "object")
    anchor = None
    if kind == "array":
        item, anchor = type_of(schema.get("items", {}))
        text = f"array of {item}"
    elif "enum" in schema:
        values = ", ".join(str(value) for value in schema["enum"] if value not in ("", None))
        text = f"{kind}, one of: {values}"
    elif kind == "object" and "additionalProperties" in schema:
        values = schema["additionalProperties"]
        value, anchor = type_of(values if isinstance(values, dict) else {})
        text = f"object of {value}"
    else:
        text = kind + (f" ({schema['format']})" if "format" in schema else "")
    if schema.get("nullable"):
        text += " or null"
    return text, anchor


def _operation(path: str, method: str, spec: dict) -> Operation:
    parameters = []
    for parameter in spec.get("parameters", []):
        text, _ = type_of(parameter.get("schema", {}))
        parameters.append(
            Parameter(
                name=parameter["name"],
                location=parameter["in"],
                type=text,
                required=bool(parameter.get("required")),
                description=parameter.get("description", ""),
            )
        )
    responses = []
    for status, response in spec.get("responses", {}).items():
        content = response.get("content", {})
        media, body = next(iter(content.items()), ("", {}))
        text, anchor = type_of(body.get("schema", {})) if body else ("no body", None)
        if media and not media.startswith("application/json"):
            text = f"{media} file"
            anchor = None
        description = response.get("description") or ("The request worked." if str(status) == "200" else "")
        responses.append(ResponseDoc(str(status), description, text, anchor))
    security = spec.get("security", [])
    needs_token = bool(security) and {} not in security
    return Operation(
        method=method.upper(),
        path=path,
        anchor=slugify(f"{method} {path}"),
        summary=spec.get("summary", ""),
        description=spec.get("description", ""),
        parameters=parameters,
        responses=responses,
        needs_token=needs_token,
    )


def _schema_doc(name: str, schema: dict) -> SchemaDoc:
    required = set(schema.get("required", []))
    fields = []
    for field_name, field_schema in schema.get("properties", {}).items():
        text, anchor = type_of(field_schema)
        fields.append(
            SchemaField(field_name, text, anchor, field_name in required, field_schema.get("description", ""))
        )
    return SchemaDoc(name=name, anchor=schema_anchor(name), description=schema.get("description", ""), fields=fields)


def docs_from(schema: dict) -> ApiDocs:
    sections: dict[str, Section] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                spec = item[method]
                tag = (spec.get("tags") or ["Other"])[0]
                section = sections.setdefault(tag, Section(title=tag, anchor="section-" + slugify(tag)))
                section.operations.append(_operation(path, method, spec))
    components = schema.get("components", {}).get("schemas", {})
    info = schema.get("info", {})
    licence = info.get("license", {})
    return ApiDocs(
        title=info.get("title", ""),
        version=info.get("version", ""),
        description=info.get("description", ""),
        licence_name=licence.get("name", ""),
        licence_url=licence.get("url", ""),
        sections=list(sections.values()),
        schemas=[_schema_doc(name, components[name]) for name in sorted(components)],
    )


def openapi_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


@functools.cache
def api_docs() -> ApiDocs:
    """Generated once a process: the description changes only with the code."""
    return docs_from(openapi_schema())
