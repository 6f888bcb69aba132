"""publiccode.yml at the root is valid for the publiccode.yml standard (version 0.4).

No validator of the standard is on PyPI (the reference one, publiccode-parser, is a Go
program), so this is the documented check: the standard's mandatory keys and their
allowed values, written out below as a JSON Schema from its reference documentation
(https://yml.publiccode.tools/schema.core.html), checked with `jsonschema`; and what
Wegwijs promises besides (the Dutch description, the four languages, the legal basis,
the version of this release)."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[1]

_TEXT = {"type": "string", "minLength": 1}
_DESCRIPTION = {
    "type": "object",
    "required": ["shortDescription", "longDescription", "features"],
    "properties": {
        "genericName": {"type": "string", "maxLength": 35},
        "shortDescription": {"type": "string", "minLength": 1, "maxLength": 150},
        "longDescription": {"type": "string", "minLength": 150, "maxLength": 10000},
        "features": {"type": "array", "minItems": 1, "items": {"type": "string", "maxLength": 100}},
    },
}
# The mandatory keys of the standard, 0.4 (presence "mandatory" in its reference).
SCHEMA = {
    "type": "object",
    "required": [
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    ],
    "properties": {
        "publiccodeYmlVersion": {"enum": ["0.2", "0.3", "0.4"]},
        "name": _TEXT,
        "url": {"type": "string", "pattern": "^https://"},
        "softwareVersion": _TEXT,
        "releaseDate": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "platforms": {"type": "array", "minItems": 1, "items": _TEXT},
        "categories": {"type": "array", "items": _TEXT},
        "developmentStatus": {"enum": ["concept", "development", "beta", "stable", "obsolete"]},
        "softwareType": {
            "enum": [
                "standalone/mobile",
                "standalone/iot",
                "standalone/desktop",
                "standalone/web",
                "standalone/backend",
                "standalone/other",
                "addon",
                "library",
                "configurationFiles",
            ]
        },
        "description": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": _DESCRIPTION,
        },
        "legal": {"type": "object", "required": ["license"], "properties": {"license": _TEXT}},
        "maintenance": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"enum": ["internal", "contract", "community", "none"]}},
            "allOf": [
                {
                    "if": {"properties": {"type": {"const": "contract"}}},
                    "then": {"required": ["contractors"]},
                },
                {
                    "if": {"properties": {"type": {"enum": ["internal", "community"]}}},
                    "then": {"required": ["contacts"]},
                },
            ],
        },
        "localisation": {
            "type": "object",
            "required": ["localisationReady", "availableLanguages"],
            "properties": {
                "localisationReady": {"type": "boolean"},
                "availableLanguages": {"type": "array", "minItems": 1, "items": _TEXT},
            },
        },
    },
}


def load() -> dict:
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def test_publiccode_yml_has_the_standards_mandatory_keys_and_values() -> None:
    jsonschema.validate(load(), SCHEMA)


def test_the_check_refuses_what_the_standard_refuses() -> None:
    broken = load()
    del broken["localisation"]
    broken["developmentStatus"] = "ready"
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(broken))
    assert len(errors) == 2


def test_publiccode_yml_describes_this_release_in_dutch_in_four_languages() -> None:
    meta = load()
    assert meta["softwareVersion"] == version("wegwijs")
    assert meta["legal"]["license"] == "EUPL-1.2"
    assert meta["localisation"]["availableLanguages"] == ["ar", "ti", "nl", "en"]
    assert "Wet inburgering 2021" in meta["description"]["nl"]["longDescription"]
    assert meta["developmentStatus"] in ("beta", "stable")
