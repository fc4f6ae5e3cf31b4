"""The API documentation page, /api/docs: Deonto's own server-rendered reading of the OpenAPI document.

No Swagger UI and no JavaScript: the page is built from ``api.get_openapi_schema()`` in the site's layout,
so it meets WCAG 2.1 AA like every other page and loads nothing from another host. Nested objects are
flattened into dotted field names (``photo.metadata.latitude``, ``findings[].rule``), so that one table
per body reads top to bottom.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.template.response import TemplateResponse

if TYPE_CHECKING:
    from ninja import NinjaAPI

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
REF_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Body:
    anchor: str
    content_type: str
    schema_title: str
    fields: list[Field]


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    bodies: list[Body]


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Field]
    request_bodies: list[Body]
    responses: list[Response]


@dataclass(frozen=True)
class SecurityScheme:
    name: str
    type: str
    location: str
    parameter: str


@dataclass(frozen=True)
class ApiDocumentation:
    title: str
    version: str
    description: str
    security_schemes: list[SecurityScheme]
    operations: list[Operation]


class _Reader:
    """Resolves ``$ref``s against the document's component schemas and flattens objects into fields."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.components: dict[str, Any] = document.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref", "")
        if ref.startswith(REF_PREFIX):
            resolved: dict[str, Any] = self.components.get(ref.removeprefix(REF_PREFIX), {})
            return resolved
        return schema

    def type_of(self, schema: dict[str, Any]) -> str:
        """A compact notation: ``string``, ``integer | null``, ``"nl" | "fr"``, ``FindingOut[]``."""
        if "anyOf" in schema or "oneOf" in schema:
            return " | ".join(self.type_of(option) for option in schema.get("anyOf", schema.get("oneOf", [])))
        if "$ref" in schema:
            return str(schema["$ref"]).removeprefix(REF_PREFIX)
        if "enum" in schema:
            return " | ".join(
                f'"{value}"' if isinstance(value, str) else str(value) for value in schema["enum"]
            )
        kind = str(schema.get("type", "any"))
        if kind == "array":
            if "prefixItems" in schema:
                return "[" + ", ".join(self.type_of(item) for item in schema["prefixItems"]) + "]"
            return f"{self.type_of(schema.get('items', {}))}[]"
        if "format" in schema:
            return f"{kind} ({schema['format']})"
        return kind

    def fields(
        self, schema: dict[str, Any], prefix: str = "", seen: frozenset[str] = frozenset()
    ) -> list[Field]:
        schema = self.resolve(schema)
        required = set(schema.get("required", []))
        result: list[Field] = []
        for name, prop in schema.get("properties", {}).items():
            full_name = f"{prefix}{name}"
            result.append(
                Field(
                    name=full_name,
                    type=self.type_of(prop),
                    required=name in required,
                    description=str(prop.get("description", "")),
                )
            )
            result.extend(self._nested(prop, full_name, seen))
        return result

    def _nested(self, prop: dict[str, Any], name: str, seen: frozenset[str]) -> list[Field]:
        """The fields of an object inside a field (or of the objects in an array field), once per path."""
        for option in [prop, *prop.get("anyOf", []), *prop.get("oneOf", [])]:
            suffix = "."
            if option.get("type") == "array" and isinstance(option.get("items"), dict):
                option, suffix = option["items"], "[]."
            ref = option.get("$ref", "")
            if ref in seen:
                continue
            target = self.resolve(option)
            if target.get("properties"):
                return self.fields(option, f"{name}{suffix}", seen | {ref} if ref else seen)
        return []

    def bodies(self, content: dict[str, Any], anchor: str) -> list[Body]:
        return [
            Body(
                anchor=f"{anchor}-{number}",
                content_type=content_type,
                schema_title=str(self.resolve(media.get("schema", {})).get("title", "")),
                fields=self.fields(media.get("schema", {})),
            )
            for number, (content_type, media) in enumerate(content.items(), start=1)
        ]


def read_openapi_document(document: dict[str, Any]) -> ApiDocumentation:
    """The parts of an OpenAPI 3 document that people read, in the document's order."""
    reader = _Reader(document)
    operations = []
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            operation = item[method]
            parameters = [
                Field(
                    name=f"{parameter['name']} ({parameter.get('in', '')})",
                    type=reader.type_of(parameter.get("schema", {})),
                    required=bool(parameter.get("required", False)),
                    description=str(parameter.get("description", "")),
                )
                for parameter in operation.get("parameters", [])
            ]
            anchor = str(operation.get("operationId", f"{method}-{path}"))
            operations.append(
                Operation(
                    anchor=anchor,
                    method=method.upper(),
                    path=path,
                    summary=str(operation.get("summary", "")),
                    description=str(operation.get("description", "")),
                    parameters=parameters,
                    request_bodies=reader.bodies(
                        operation.get("requestBody", {}).get("content", {}), f"{anchor}-request"
                    ),
                    responses=[
                        Response(
                            status=str(status),
                            description=str(response.get("description", "")),
                            bodies=reader.bodies(response.get("content", {}), f"{anchor}-response-{status}"),
                        )
                        for status, response in operation.get("responses", {}).items()
                    ],
                )
            )
    info = document.get("info", {})
    schemes = document.get("components", {}).get("securitySchemes", {})
    return ApiDocumentation(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        description=str(info.get("description", "")),
        security_schemes=[
            SecurityScheme(
                name=name,
                type=str(scheme.get("type", "")),
                location=str(scheme.get("in", "")),
                parameter=str(scheme.get("name", "")),
            )
            for name, scheme in schemes.items()
        ],
        operations=operations,
    )


@login_required
def api_docs(request: HttpRequest, *, api: NinjaAPI, **path_params: Any) -> TemplateResponse:
    documentation = read_openapi_document(dict(api.get_openapi_schema(path_params=path_params)))
    return TemplateResponse(
        request,
        "api/docs.html",
        {
            "documentation": documentation,
            "openapi_url": api.docs.get_openapi_url(api, path_params),
            "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        },
    )
