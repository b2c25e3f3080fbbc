"""The analyst-only output: the pseudonymous list of repeat victims. Never published.

The published assessment gives repeat victimisation as disclosure-controlled counts. The agencies'
analysts also need to know *who* to offer support to, which the published report must never
show. This writes, to a folder of its own ([privacy] analyst_folder, not the assessment's output
folder), one row per repeat victim in the period: a pseudonymous person number (meaningful only
within this file), the datasets that know them, their victimisations in the period, the first and
last dates, and the source file and line of each record, so that each agency can find the person
in its own extract. No name, date of birth, reference or token is written.

Example:
    >>> write_analyst_only(assessment, Path("analyst-only"))  # doctest: +SKIP
    [PosixPath('analyst-only/repeat-victims.csv'), PosixPath('analyst-only/README.txt')]
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from safer.assessment import Assessment

LIST_FILE = "repeat-victims.csv"
README = "README.txt"
_README_TEXT = """\
ANALYST-ONLY. NOT FOR PUBLICATION.

repeat-victims.csv lists the repeat victims of {period}: people victimised again within {window} months,
found by linking the partner agencies' pseudonymised records. It is personal data: share it only with the
agencies' analysts who arrange support, under the partnership's information sharing agreement, and delete it
when it has been used. It is not part of the published strategic assessment.

Columns: person (a number meaningful only within this file), datasets (the agencies' datasets that record the
person as a victim), victimisations (in the period; records of one day count once), first and last (dates),
records (the source file and line of each record, for the agency that supplied the file to find its own record).
"""


def write_analyst_only(assessment: Assessment, folder: Path) -> list[Path]:
    """Write the repeat victim list and its warning to ``folder``; return the files (none without victim data)."""
    victims = assessment.sections.get("victims")
    if victims is None or victims.repeat is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / LIST_FILE
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["person", "datasets", "victimisations", "first", "last", "records"])
        for number, victim in enumerate(victims.analyst_list, start=1):
            writer.writerow([f"RV{number:05d}", "; ".join(victim.datasets), victim.victimisations,
                             victim.first.isoformat(), victim.last.isoformat(), "; ".join(victim.records)])
    readme = folder / README
    readme.write_text(_README_TEXT.format(period=assessment.meta.current.label, window=victims.window_months),
                      encoding="utf-8")
    return [target, readme]
