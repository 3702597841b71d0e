"""Validates a `clinic export fhir` bundle with the R4 models of fhir.resources (module R4B).

Usage: python3 validate_fhir.py BUNDLE.json
Prints one JSON document: {"ok": true, "counts": {...}, "appointment_status": {...}, "nprs": [...],
"rooms": [{"name", "part_of", "organization"}...] (site codes), "organizations": [site codes]}
and exits 0, or prints the problems on stderr and exits 1. A missing package is an error (exit 2),
never a silent pass.
"""
import json
import sys

try:
    from fhir.resources.R4B import get_fhir_model_class
    from fhir.resources.R4B.bundle import Bundle
except ImportError as error:  # the tests must fail, not skip, without the package
    print(f"fhir.resources is not installed: {error}", file=sys.stderr)
    sys.exit(2)


def references(value):
    """Every `reference` string anywhere inside a resource."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def main(path):
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    problems = []
    try:
        bundle = Bundle.model_validate(document)
    except Exception as error:
        print(f"the bundle is not valid R4: {error}", file=sys.stderr)
        return 1
    if bundle.type != "collection":
        problems.append(f"bundle type is {bundle.type}, expected collection")
    full_urls = set()
    counts = {}
    for index, entry in enumerate(document.get("entry", [])):
        resource = entry["resource"]
        kind = resource["resourceType"]
        counts[kind] = counts.get(kind, 0) + 1
        try:
            get_fhir_model_class(kind).model_validate(resource)
        except Exception as error:  # report every invalid resource, not only the first
            problems.append(f"entry {index} ({kind}) is not valid R4: {error}")
        expected = "urn:uuid:" + resource.get("id", "")
        if entry.get("fullUrl") != expected:
            problems.append(f"entry {index} ({kind}) fullUrl {entry.get('fullUrl')} != {expected}")
        if entry.get("fullUrl") in full_urls:
            problems.append(f"entry {index} ({kind}) repeats fullUrl {entry.get('fullUrl')}")
        full_urls.add(entry.get("fullUrl"))
    for index, entry in enumerate(document.get("entry", [])):
        for reference in references(entry["resource"]):
            if reference not in full_urls:
                problems.append(f"entry {index} ({entry['resource']['resourceType']}) refers to {reference}, not in the bundle")
    status = {}
    nprs = []
    for entry in document.get("entry", []):
        resource = entry["resource"]
        if resource["resourceType"] == "Appointment":
            status[resource["id"]] = resource["status"]
        if resource["resourceType"] == "Observation":
            codes = [c.get("code") for c in resource.get("code", {}).get("coding", [])]
            if "72514-3" not in codes:
                problems.append(f"Observation {resource['id']} lacks LOINC 72514-3")
            nprs.append(resource.get("valueInteger"))
    by_url = {entry.get("fullUrl"): entry["resource"] for entry in document.get("entry", [])}

    def site_code(reference):
        """The urn:clinic:site identifier of the resource a reference names, or None."""
        target = by_url.get((reference or {}).get("reference"), {})
        codes = [i.get("value") for i in target.get("identifier", []) if i.get("system") == "urn:clinic:site"]
        return codes[0] if codes else None

    rooms = []
    organizations = []
    for entry in document.get("entry", []):
        resource = entry["resource"]
        if resource["resourceType"] == "Organization":
            organizations.append(site_code({"reference": entry.get("fullUrl")}))
        if resource["resourceType"] == "Location" and "partOf" in resource:
            rooms.append({"name": resource.get("name"), "part_of": site_code(resource.get("partOf")),
                          "organization": site_code(resource.get("managingOrganization"))})
            if rooms[-1]["organization"] is None:
                problems.append(f"room {resource.get('name')} has no managingOrganization naming a site")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(json.dumps({"ok": True, "counts": counts, "appointment_status": status, "nprs": sorted(n for n in nprs if n is not None),
                      "rooms": rooms, "organizations": sorted(o for o in organizations if o)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
