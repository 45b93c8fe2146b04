"""``safety-plan schema``: JSON Schema of each data file kind, generated from the models."""

from __future__ import annotations

import json
from typing import Any

from safety_plan.commands.base import OutputFile, Request, Result
from safety_plan.models import FILE_MODELS

SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"


def schema_for(kind: str) -> dict[str, Any]:
    model = FILE_MODELS[kind]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": SCHEMA_URL, "title": f"safety-plan {kind} file", **schema}


def render(kind: str) -> str:
    return json.dumps(schema_for(kind), ensure_ascii=False, indent=2) + "\n"


def run(request: Request, *, kind: str | None = None) -> Result:
    kinds = [kind] if kind else list(FILE_MODELS)
    if request.output is not None:
        files = [OutputFile(request.output / f"{name}.schema.json", render(name)) for name in kinds]
        return Result("\n".join(str(f.path) for f in files), files=files)
    if kind:
        return Result(render(kind))
    return Result(json.dumps({name: schema_for(name) for name in kinds}, ensure_ascii=False, indent=2))
