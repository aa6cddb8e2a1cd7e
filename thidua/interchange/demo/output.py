"""The demo world written out as a dataset (docs/dataset-format.md)."""

from thidua.interchange.demo.parts import _iso, _regime


class _OutputMixin:
    """Part of `_World` (see `thidua.interchange.demo.world`)."""

    # -- output ----------------------------------------------------------------------------
    def dataset(self) -> dict:
        units, versions = [], []
        for unit in self.units.values():
            row = {"code": unit.code, "kind": unit.kind, "name": unit.name}
            if unit.established_on:
                row["established_on"] = _iso(unit.established_on)
            if unit.dissolved_on:
                row["dissolved_on"] = _iso(unit.dissolved_on)
            units.append(row)
            for name, parent, start, end in unit.versions:
                version = {"unit": unit.code, "name": name, "valid_from": _iso(start)}
                if parent:
                    version["parent"] = parent
                if end:
                    version["valid_to"] = _iso(end)
                versions.append(version)
        people = []
        for code in sorted(self.people):
            p = self.people[code]
            row = {
                "code": code,
                "family_name": p.family,
                "middle_name": p.middle,
                "given_name": p.given,
                "birth_date": _iso(p.birth),
                "gender": p.gender,
            }
            if p.citizen_id:
                row["citizen_id"] = p.citizen_id
            people.append(row)
        employments = []
        for code in sorted(self.jobs):
            for job in self.jobs[code]:
                row = {
                    "person": code,
                    "unit": job.unit,
                    "position": job.position,
                    "start": _iso(job.start),
                }
                if job.end:
                    row["end"] = _iso(job.end)
                employments.append(row)
        person_ratings = []
        for (code, year), level in sorted(self.ratings.items()):
            row = {"person": code, "year": year, "level": level, "regime": _regime(year)}
            if (code, year) in self.scores:
                row["score"] = self.scores[(code, year)]
            person_ratings.append(row)
        unit_ratings = [
            {"unit": code, "year": year, "level": level, "regime": _regime(year)}
            for (code, year), level in sorted(self.unit_ratings.items())
        ]
        awards = sorted(
            self.awards,
            key=lambda a: (
                a["decision_date"],
                a["decision_number"],
                a["award_code"],
                a.get("person") or "",
                a.get("unit") or "",
            ),
        )
        return {
            "format": "thidua-dataset",
            "version": 1,
            "units": units,
            "unit_versions": versions,
            "lineage": self.lineage,
            "people": people,
            "employments": employments,
            "person_ratings": person_ratings,
            "unit_ratings": unit_ratings,
            "disciplines": self.disciplines,
            "pending_reviews": self.reviews,
            "initiatives": self.initiatives,
            "awards": awards,
            "absences": sorted(self.absences, key=lambda a: (a["person"], a["start"])),
        }
