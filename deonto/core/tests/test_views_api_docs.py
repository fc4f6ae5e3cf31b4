"""Reading an OpenAPI document for the API documentation page: parameters, nesting and cycles."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from deonto.core.views_api_docs import read_openapi_document

DOCUMENT = {
    "info": {"title": "Test API", "version": "2", "description": "For tests."},
    "components": {
        "schemas": {
            "Node": {
                "title": "Node",
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "description": "Its name."},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                },
            }
        },
        "securitySchemes": {"Token": {"type": "http", "scheme": "bearer"}},
    },
    "paths": {
        "/api/nodes/{node_id}": {
            "get": {
                "operationId": "node_get",
                "summary": "Read a node",
                "parameters": [
                    {"name": "node_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {
                        "name": "depth",
                        "in": "query",
                        "schema": {"type": "integer"},
                        "description": "How deep.",
                    },
                ],
                "responses": {
                    200: {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}},
                    },
                    404: {"description": "Not Found"},
                },
            }
        }
    },
}


def test_parameters_are_listed_with_where_they_go() -> None:
    [operation] = read_openapi_document(DOCUMENT).operations
    assert [(field.name, field.type, field.required) for field in operation.parameters] == [
        ("node_id (path)", "integer", True),
        ("depth (query)", "integer", False),
    ]


def test_a_schema_that_contains_itself_is_unfolded_once() -> None:
    [operation] = read_openapi_document(DOCUMENT).operations
    ok, not_found = operation.responses
    assert [field.name for field in ok.bodies[0].fields] == [
        "name",
        "children",
        "children[].name",
        "children[].children",
    ]
    assert (not_found.status, not_found.bodies) == ("404", [])


def test_the_page_renders_parameters_bodies_and_other_schemes_in_tables() -> None:
    with translation.override("en"):
        page = render_to_string(
            "api/docs.html",
            {"documentation": read_openapi_document(DOCUMENT), "openapi_url": "/api/openapi.json"},
        )
    assert '<caption id="node_get-parameters">Parameters</caption>' in page
    assert (
        '<caption id="node_get-response-200-1">Fields of the 200 response as application/json</caption>'
        in page
    )
    assert "<code>children[].name</code>" in page
    assert "<dd><code>http</code></dd>" in page
    assert "No body." in page
