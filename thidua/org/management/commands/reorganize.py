"""`thidua reorganize FILE [--dry-run]`: apply a mapping of old → new unit codes.

Thin: reads the arguments, calls `thidua.org.reorganize.reorganize` as the operator
(`SYSTEM`) and prints the plan, the warnings and the problems.
"""

import uuid

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thidua.accounts.system import SYSTEM
from thidua.audit import context
from thidua.org.reorganize import reorganize
from thidua.org.reorganize.acts_table import is_act_table, province_summary, reorganize_acts


class Command(BaseCommand):
    help = _(
        "Apply a reorganisation mapping (CSV or XLSX: merge, split, rename, reparent, "
        "dissolve) to the unit tree, all or nothing. See docs/reorganize-format.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the mapping file, .csv or .xlsx"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("check the file and print the plan; write nothing"),
        )
        parser.add_argument(
            "--staff",
            help=_(
                "with an act table: a file placing people of split units (columns person, new_code)"
            ),
        )

    def progress(self, done: int, total: int) -> None:
        if done % 200 == 0 or (done == total and total >= 200):
            self.stderr.write(
                _("applied %(done)s of %(total)s changes…") % {"done": done, "total": total}
            )

    def handle(self, *args, file, dry_run, staff=None, **options):
        # Every audit entry of one run shares an id, as those of one web request do.
        token = context.request_id.set(f"reorganize-{uuid.uuid4().hex[:16]}")
        try:
            if is_act_table(file):
                return self.acts(file, staff, dry_run)
            plan = reorganize(file, dry_run=dry_run, progress=self.progress, actor=SYSTEM)
        finally:
            context.request_id.reset(token)

        for warning in plan.warnings:
            self.stderr.write(self.style.WARNING(_("warning: %(warning)s") % {"warning": warning}))
        if plan.problems:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                ngettext(
                    "%(count)s problem; nothing was written.",
                    "%(count)s problems; nothing was written.",
                    len(plan.problems),
                )
                % {"count": len(plan.problems)}
            )
        for step in plan.steps:
            self.stdout.write(step.describe(applied=plan.applied))
        count = len(plan.steps)
        if dry_run:
            summary = ngettext(
                "Dry run: %(count)s change checked; nothing was written.",
                "Dry run: %(count)s changes checked; nothing was written.",
                count,
            )
        else:
            summary = ngettext(
                "%(count)s change applied.",
                "%(count)s changes applied.",
                count,
            )
        self.stdout.write(self.style.SUCCESS(summary % {"count": count}))

    def acts(self, file, staff, dry_run) -> None:
        """The official table's shape (ADR 0009): acts applied set-based."""
        result = reorganize_acts(file, staff=staff, dry_run=dry_run, actor=SYSTEM)
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(_("warning: %(warning)s") % {"warning": warning}))
        for line in result.unplaced:
            self.stderr.write(self.style.WARNING(line))
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                ngettext(
                    "%(count)s problem; nothing was written.",
                    "%(count)s problems; nothing was written.",
                    len(result.problems),
                )
                % {"count": len(result.problems)}
            )
        for line in result.lines + province_summary(result):
            self.stdout.write(line)
        counts = {
            "created": result.created,
            "ended": result.ended,
            "continued": result.continued,
            "moved": result.moved_staff,
            "unplaced": len(result.unplaced),
        }
        summary = (
            _(
                "Dry run: %(created)s units would be created, %(ended)s ended, %(continued)s "
                "continued, %(moved)s people moved, %(unplaced)s unplaced; nothing was written."
            )
            if dry_run
            else _(
                "%(created)s units created, %(ended)s ended, %(continued)s continued, "
                "%(moved)s people moved, %(unplaced)s unplaced."
            )
        )
        self.stdout.write(self.style.SUCCESS(summary % counts))
