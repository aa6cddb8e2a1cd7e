"""Turn a dataset source (a JSON or XLSX file, a binary file object, or a dict) into a stream
of `(section, row number, raw row)` in the JSON shape: one dict per row whose values are JSON
values (ISO date strings, numbers, booleans, lists).

JSON is streamed with ijson, so a province's file is never held in memory whole, and its
sections may come in any order. XLSX cells are converted by the kind of their column (a date
cell or `dd/mm/yyyy` text becomes an ISO date; text that is not a valid date is kept as it
is, so that the problem names the value the user typed).

Every text value is normalised on the way in (`thidua.text.normalize_text`: NFC, no
zero-width or bidi controls); a NUL character is a problem of its row. A JSON syntax error
names its line and column; nesting deeper than MAX_DEPTH is refused. An XLSX whose
workbook lists a sheet whose part is missing or unreadable is refused, naming the sheet.
"""

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree import ElementTree

import ijson
from django.utils.translation import gettext as _

from thidua.interchange.dataset.report import DatasetError, Problem
from thidua.interchange.dataset.schema import document_problems, sections
from thidua.text import normalize_text

GUIDE_SHEET = "guide"
NOTE_PREFIX = "_"  # sheets and columns whose name starts with it are for people, not loaded
FORMATS = ("json", "xlsx")
_SCALAR_EVENTS = frozenset({"null", "boolean", "integer", "double", "number", "string"})
_DMY_RE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_TRUE = {"true", "1", "yes", "x", "có", "co", "đúng"}
_FALSE = {"false", "0", "no", "không", "khong", "sai"}
MAX_DEPTH = 32  # a dataset nests three levels; deeper is an attack or a mistake


def _problem(message) -> "DatasetError":
    return DatasetError([Problem("", None, "", message)])


def check_format(fmt: str | None) -> str | None:
    if fmt is not None and fmt not in FORMATS:
        raise DatasetError(
            [Problem("", None, "", _("unknown format %(fmt)s") % {"fmt": repr(fmt)})]
        )
    return fmt


def infer_format(name: str, file) -> str:
    """From the file name's suffix, else from the first bytes (an XLSX is a zip: "PK")."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    head = file.read(4)
    file.seek(0)
    return "xlsx" if head[:2] == b"PK" else "json"


class DatasetSource:
    """An open dataset: `rows()` yields the rows, `problems` collects what is wrong with the
    file's structure (top level, sheets, headers) while they are read. Use as a context
    manager; it closes what it opened."""

    def __init__(self, source, fmt: str | None = None):
        self.source = source
        self.fmt = check_format(fmt) or ("json" if isinstance(source, dict) else None)
        self.problems: list[Problem] = []
        self.name = self._name()
        self.sha256 = ""
        self._file = None
        self._owned = False

    def _name(self) -> str:
        if isinstance(self.source, dict):
            return "<dict>"
        if isinstance(self.source, str | os.PathLike):
            return str(self.source)
        return str(getattr(self.source, "name", "") or "<stream>")

    def __enter__(self):
        if isinstance(self.source, dict):
            return self
        if isinstance(self.source, str | os.PathLike):
            try:
                self._file = open(self.source, "rb")  # closed in __exit__
            except OSError as exc:
                raise DatasetError(
                    [
                        Problem(
                            "",
                            None,
                            "",
                            _("cannot read %(name)s: %(error)s")
                            % {"name": self.name, "error": exc.strerror},
                        )
                    ]
                ) from exc
            self._owned = True
        elif self.source.seekable():
            self._file = self.source
        else:
            # A pipe: spool it so that it can be hashed and (for XLSX) read as a zip.
            spool = tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024)
            shutil.copyfileobj(self.source, spool)
            spool.seek(0)
            self._file, self._owned = spool, True
        self.sha256 = _digest(self._file)
        self.fmt = self.fmt or infer_format(self.name, self._file)
        return self

    def __exit__(self, *exc):
        if self._owned and self._file is not None:
            self._file.close()
        return False

    def rows(self):
        """The rows, as an iterator of (section, row number, raw row), text normalised."""
        return self._normalised(self._raw_rows())

    def _raw_rows(self):
        if isinstance(self.source, dict):
            return self._dict_rows(self.source)
        if self.fmt == "json":
            if self._file.read(3) != b"\xef\xbb\xbf":  # a UTF-8 byte order mark (Notepad)
                self._file.seek(0)
            return _stream_json(self._file, self.problems)
        return self._xlsx_rows(self._file)

    def _normalised(self, rows):
        for section, number, raw in rows:
            if isinstance(raw, dict):
                for key, value in raw.items():
                    if value.__class__ is str:
                        # (most values are ASCII without NUL: nothing to do, no call made)
                        if not value.isascii() or "\x00" in value:
                            raw[key] = self._text(section, number, key, value)
                    elif value.__class__ in (list, tuple):
                        raw[key] = [
                            self._text(section, number, key, v) if v.__class__ is str else v
                            for v in value
                        ]
            yield section, number, raw

    def _text(self, section, number, key, value: str) -> str:
        if "\x00" in value:
            self.problems.append(
                Problem(section, number, str(key), _("the text holds a NUL character"))
            )
            value = value.replace("\x00", "")
        return normalize_text(value)

    # -- dict -------------------------------------------------------------------------------

    def _dict_rows(self, data: dict):
        skeleton = {}
        for key, value in data.items():
            if isinstance(value, list):
                skeleton[key] = []
                for number, row in enumerate(value, start=1):
                    yield key, number, _jsonable(row)
            else:
                skeleton[key] = value
        self.problems.extend(document_problems(skeleton))

    # -- XLSX -------------------------------------------------------------------------------

    def _xlsx_rows(self, file):
        from openpyxl.reader.excel import ExcelReader  # here: most processes never read XLSX

        reader = None
        try:
            # openpyxl's load_workbook, keeping the reader to see which sheets it skipped.
            reader = ExcelReader(file, read_only=True, data_only=True)
            reader.read()
            workbook = reader.wb
            declared = [sheet.name for sheet, _rel in reader.parser.find_sheets()]
        except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
            damaged = _damaged_sheets(reader)
            if damaged:
                raise DatasetError(
                    [
                        Problem(
                            name,
                            None,
                            "",
                            _("the sheet cannot be read: %(error)s") % {"error": error},
                        )
                        for name, error in damaged
                    ]
                ) from exc
            raise _problem(_("not a readable XLSX file: %(error)s") % {"error": exc}) from exc
        missing = [name for name in declared if name not in workbook.sheetnames]
        if missing:
            workbook.close()
            raise DatasetError(
                [
                    Problem(name, None, "", _("the sheet's part is missing from the file"))
                    for name in missing
                ]
            )
        try:
            specs = sections()
            for sheet in workbook.worksheets:
                title = sheet.title
                if title == GUIDE_SHEET or title.startswith("_"):
                    continue
                if title not in specs:
                    self.problems.append(
                        Problem(
                            title,
                            None,
                            "",
                            _("unknown sheet; the sections are %(names)s")
                            % {"names": ", ".join(specs)},
                        )
                    )
                    continue
                try:
                    yield from self._sheet_rows(specs[title], sheet)
                except (DatasetError, GeneratorExit):
                    raise
                except Exception as exc:  # a damaged part: zlib, zip or XML errors
                    raise DatasetError(
                        [
                            Problem(
                                title,
                                None,
                                "",
                                _("the sheet cannot be read: %(error)s") % {"error": exc},
                            )
                        ]
                    ) from exc
        finally:
            workbook.close()

    def _sheet_rows(self, spec, sheet):
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return
        names = [str(h).strip() if h is not None else "" for h in header]
        columns, problems, seen = [], [], set()
        for index, name in enumerate(names):
            if not name or name.startswith(NOTE_PREFIX):
                continue  # an empty header, or a note column (a name beside a code)
            if name in seen:
                problems.append(Problem(spec.name, 1, name, _("column appears twice")))
            elif name not in spec.allowed:
                problems.append(Problem(spec.name, 1, name, _("unknown column")))
            else:
                columns.append((index, name, _cell_converter(spec.field(name))))
            seen.add(name)
        for name in spec.field_names:
            if name in spec.required and name not in seen:
                problems.append(Problem(spec.name, 1, name, _("required column is missing")))
        if problems:
            self.problems.extend(problems)
            return
        for number, values in enumerate(rows, start=2):
            raw = {}
            for index, name, convert in columns:
                value = values[index] if index < len(values) else None
                if value is None:
                    continue
                value = convert(value)
                if value is not None:
                    raw[name] = value
            if raw:
                yield spec.name, number, raw


def _damaged_sheets(reader) -> list[tuple[str, Exception]]:
    """(sheet name, error) of each sheet whose XML part cannot be parsed, once openpyxl has
    failed to read a workbook whose sheet list it could read."""
    parser = getattr(reader, "parser", None)
    if parser is None:
        return []
    damaged = []
    try:
        for sheet, rel in parser.find_sheets():
            if rel.target not in reader.valid_files:
                continue
            try:
                with reader.archive.open(rel.target) as part:
                    for _event in ElementTree.iterparse(part):
                        pass
            except Exception as exc:  # zip, zlib or XML errors
                damaged.append((sheet.name, exc))
    except Exception:  # the workbook part itself is damaged: say so generally
        return []
    return damaged


def _stream_json(file, problems: list):
    """Yield (section, row number, row) from a JSON dataset read as a stream of parse events,
    and add the problems of its top level (`format`, `version`, unknown sections) to
    `problems` once read. Section lists are yielded row by row, never held whole."""
    skeleton: dict = {}  # the document with each row list replaced by [], for the schema
    try:
        events = ijson.basic_parse(file)
        event, value = next(events, (None, None))
        if event != "start_map":
            if event is not None:
                _build(event, value, events)
            problems.append(Problem("", None, "", _("the file must hold one JSON object")))
            return
        seen = set()
        for event, key in events:
            if event == "end_map":
                break
            event, value = next(events)
            if event != "start_array":
                skeleton[key] = _build(event, value, events, 2)
                continue
            if key in seen:
                problems.append(Problem(key, None, "", _("section appears twice")))
            seen.add(key)
            skeleton[key] = []
            number = 0
            for event, value in events:
                if event == "end_array":
                    break
                number += 1
                if event != "start_map":
                    yield key, number, _build(event, value, events, 3)
                    continue
                row = {}
                for event, name in events:
                    if event == "end_map":
                        break
                    event, value = next(events)
                    row[name] = (
                        value if event in _SCALAR_EVENTS else _build(event, value, events, 3)
                    )
                yield key, number, row
    except ijson.JSONError as exc:
        raise _problem(_json_error(file, exc)) from exc
    problems.extend(document_problems(skeleton))


def _json_error(file, exc) -> str:
    """The message for a JSON syntax error, with its line and column when they can be
    found (the streaming parser does not give them: the file is parsed again, only now)."""
    try:
        file.seek(0)
        json.load(io.TextIOWrapper(file, encoding="utf-8-sig", errors="replace"))
    except json.JSONDecodeError as decode_error:
        return _("not valid JSON: %(error)s at line %(line)s, column %(column)s") % {
            "error": decode_error.msg,
            "line": decode_error.lineno,
            "column": decode_error.colno,
        }
    except Exception:
        pass
    return _("not valid JSON: %(error)s") % {"error": exc}


def _build(event, value, events, depth=1):
    """The JSON value that starts with (event, value), consuming its events; nesting deeper
    than MAX_DEPTH is refused (no RecursionError)."""
    if event not in ("start_map", "start_array"):
        return value
    if depth > MAX_DEPTH:
        raise _problem(_("the JSON nests deeper than %(limit)s levels") % {"limit": MAX_DEPTH})
    if event == "start_map":
        obj = {}
        for event, key in events:
            if event == "end_map":
                return obj
            obj[key] = _build(*next(events), events, depth + 1)
        return obj
    arr = []
    for event, item in events:
        if event == "end_array":
            return arr
        arr.append(_build(event, item, events, depth + 1))
    return arr


def _jsonable(row):
    """Dict sources may hold date objects; the JSON shape holds ISO strings."""
    if not isinstance(row, dict):
        return row
    out = {}
    for key, value in row.items():
        if isinstance(value, datetime.date):
            value = value.isoformat()[:10]
        out[key] = value
    return out


def _digest(file) -> str:
    sha = hashlib.sha256()
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        sha.update(chunk)
    file.seek(0)
    return sha.hexdigest()


# -- XLSX cells -----------------------------------------------------------------------------


def _cell_converter(field):
    """A function from a cell value to its JSON-shaped value (None for an empty cell)."""
    kind = field.kind
    if kind == "date":
        return _cell_date
    if kind == "integer":
        return _cell_integer
    if kind == "number":
        return _cell_number
    if kind == "boolean":
        return _cell_boolean
    if kind == "list":
        return _cell_list
    if field.name == "citizen_id":
        return _cell_citizen_id
    return _cell_text


def _cell_text(value):
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return _cell_date(value)
    return str(value)


def _cell_citizen_id(value):
    # Excel drops the leading zeros of a citizen id typed as a number (0351... → 351...).
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        text = str(int(value))
        return text.zfill(12) if len(text) <= 12 else text
    return _cell_text(value)


def _cell_date(value):
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(value).date().isoformat()  # a date serial without a date format
        except (ValueError, OverflowError, TypeError):
            return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        match = _DMY_RE.match(text)
        if match:
            day, month, year = map(int, match.groups())
            try:
                return datetime.date(year, month, day).isoformat()
            except ValueError:
                return text  # 31/02/2020: kept, so that the problem names it
        return text
    return value


def _cell_integer(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        return int(text) if text.isdigit() else text
    return value


def _cell_number(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return Decimal(text.replace(",", "."))  # 92,5 in the Vietnamese locale
        except InvalidOperation:
            return text
    return value


def _cell_boolean(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return value.strip()
    return value


def _cell_list(value):
    if isinstance(value, str):
        items = [part.strip() for part in value.split(";")]
        return [item for item in items if item] or None
    return [_cell_text(value)]
