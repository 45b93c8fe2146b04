"""``safety-plan schema``: JSON Schema of each data file kind, generated from the models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from safety_plan.models import FILE_MODELS
from safety_plan.output.files import write_atomic

SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"


def schema_for(kind: str) -> dict[str, Any]:
    model = FILE_MODELS[kind]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": SCHEMA_URL, "title": f"safety-plan {kind} file", **schema}


def render(kind: str) -> str:
    return json.dumps(schema_for(kind), ensure_ascii=False, indent=2) + "\n"


def run(kind: str | None, output_dir: Path | None) -> int:
    kinds = [kind] if kind else list(FILE_MODELS)
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
        for name in kinds:
            target = output_dir / f"{name}.schema.json"
            write_atomic(target, render(name))
            print(target)
        return 0
    if kind:
        print(render(kind), end="")
    else:
        print(json.dumps({name: schema_for(name) for name in kinds}, ensure_ascii=False, indent=2))
    return 0
