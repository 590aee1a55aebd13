"""Reading a staff list (CSV, as Excel saves it) into rows to import, and rows to refuse."""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from shared.users.errors import InvalidImportFile
from shared.users.schemas import MAX_TGID, RejectedRow

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000
MAX_TEXT = 200
REQUIRED_COLUMNS = ("tgid", "name")
KNOWN_COLUMNS = (*REQUIRED_COLUMNS, "office", "weekly_limit")
MAX_LIMIT = Decimal("99999999.99")
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class RosterRow:
    row: int
    tgid: int
    name: str
    office: str
    # Set only when the file has a weekly_limit column; an empty cell there means "no limit".
    weekly_limit: Decimal | None = None
    sets_limit: bool = False


@dataclass(frozen=True)
class Roster:
    rows: list[RosterRow]
    rejected: list[RejectedRow]


def read_roster(content: bytes) -> Roster:
    """Parse the file whole; a file of the wrong shape is refused before anything is written."""
    if len(content) > MAX_BYTES:
        raise InvalidImportFile(
            f"Файл больше {MAX_BYTES // 1024} КБ: разделите его на части",
            en=f"The file is larger than {MAX_BYTES // 1024} KB: split it into parts",
        )
    try:
        # utf-8-sig drops the byte order mark Excel puts before "CSV UTF-8" files.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidImportFile(
            "Файл не в кодировке UTF-8: в Excel сохраните его "
            "как «CSV UTF-8 (разделитель — запятая)»",
            en="The file is not UTF-8: in Excel save it as «CSV UTF-8 (Comma delimited)»",
        ) from None
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), None)
    if header_line is None:
        raise InvalidImportFile(
            "Файл пуст: нужна строка заголовка tgid,name,office и сотрудники",
            en="The file is empty: it needs the header tgid,name,office and the employees",
        )
    # Excel writes ";" where the decimal separator is a comma (Russian locale), "," elsewhere.
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    numbered: list[tuple[int, list[str]]] = []
    first_line = 1
    try:
        for record in reader:
            # A quoted cell may span lines: a row is numbered by the line it starts on.
            if any(cell.strip() for cell in record):
                numbered.append((first_line, record))
            first_line = reader.line_num + 1
    except csv.Error as error:
        raise InvalidImportFile(
            f"Файл не читается как CSV: {error}", en=f"The file cannot be read as CSV: {error}"
        ) from None
    (_, header), *data = numbered
    columns = _columns(header)
    if not data:
        raise InvalidImportFile(
            "В файле только заголовок: добавьте строки с сотрудниками",
            en="The file has only the header: add rows with employees",
        )
    if len(data) > MAX_ROWS:
        raise InvalidImportFile(
            f"В файле {len(data)} строк, а за раз можно загрузить не больше {MAX_ROWS}",
            en=f"The file has {len(data)} rows; at most {MAX_ROWS} can be uploaded at once",
        )
    return _check_rows(columns, data)


def _columns(header: list[str]) -> dict[str, int]:
    names = [cell.strip().lower() for cell in header]
    unknown = [name for name in names if name not in KNOWN_COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if unknown or missing or repeated:
        found = ", ".join(cell.strip() for cell in header)
        raise InvalidImportFile(
            "Первая строка должна быть заголовком tgid,name,office "
            f"(и, если нужно, weekly_limit), а в файле: {found}",
            en="The first row must be the header tgid,name,office "
            f"(and weekly_limit if needed), but the file has: {found}",
        )
    return {name: index for index, name in enumerate(names)}


def _check_rows(columns: dict[str, int], data: list[tuple[int, list[str]]]) -> Roster:
    def cell(record: list[str], column: str) -> str:
        index = columns.get(column)
        return record[index].strip() if index is not None and index < len(record) else ""

    rows: list[RosterRow] = []
    rejected: list[RejectedRow] = []
    for number, record in data:
        raw_tgid, name, office, raw_limit = (cell(record, column) for column in KNOWN_COLUMNS)
        tgid = _tgid(raw_tgid)
        limit = _limit(raw_limit)
        reason = _problem(raw_tgid, tgid, name, office) or (
            None
            if limit is not None or not raw_limit
            else f"weekly_limit «{raw_limit[:30]}» — не сумма: нужно число от 0, например 3000"
        )
        if reason:
            rejected.append(RejectedRow(row=number, tgid=tgid, reason=reason))
        else:
            assert tgid is not None
            rows.append(
                RosterRow(
                    row=number,
                    tgid=tgid,
                    name=name,
                    office=office,
                    weekly_limit=limit,
                    sets_limit="weekly_limit" in columns,
                )
            )
    return _without_duplicates(rows, rejected)


def _limit(raw: str) -> Decimal | None:
    """A sum in roubles ("3000", "2500,50" as Russian Excel writes it); None if it is not one."""
    try:
        value = Decimal(raw.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > MAX_LIMIT:
        return None
    return value.quantize(Decimal("0.01"))


def _tgid(raw: str) -> int | None:
    if not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value <= MAX_TGID else None


def _problem(raw_tgid: str, tgid: int | None, name: str, office: str) -> str | None:
    if not raw_tgid:
        return "не указан tgid"
    if tgid is None:
        return f"tgid «{raw_tgid[:30]}» не похож на Telegram ID: нужно целое положительное число"
    if not name:
        return "не указано имя"
    if len(name) > MAX_TEXT:
        return f"имя длиннее {MAX_TEXT} символов"
    if len(office) > MAX_TEXT:
        return f"офис длиннее {MAX_TEXT} символов"
    if CONTROL_CHARACTER.search(name + office):
        return "в имени или офисе есть непечатаемые символы"
    return None


def _without_duplicates(rows: list[RosterRow], rejected: list[RejectedRow]) -> Roster:
    """Rows that share a tgid are all refused: which of them is right is for a person to say."""
    lines: defaultdict[int, list[int]] = defaultdict(list)
    for row in rows:
        lines[row.tgid].append(row.row)
    kept: list[RosterRow] = []
    for row in rows:
        others = [number for number in lines[row.tgid] if number != row.row]
        if others:
            where = "строке" if len(others) == 1 else "строках"
            listed = ", ".join(str(number) for number in others)
            reason = f"этот tgid есть и в {where} {listed}: оставьте одну строку"
            rejected.append(RejectedRow(row=row.row, tgid=row.tgid, reason=reason))
        else:
            kept.append(row)
    rejected.sort(key=lambda item: item.row)
    return Roster(rows=kept, rejected=rejected)
