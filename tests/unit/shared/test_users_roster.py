"""Reading staff lists as Excel and people write them."""

import pytest

from shared.users.errors import InvalidImportFile
from shared.users.roster import RosterRow, read_roster


def test_columns_may_come_in_any_order_and_office_may_be_left_out() -> None:
    roster = read_roster("Name,TGID\nИван Петров,1001\n".encode())
    assert roster.rows == [RosterRow(row=2, tgid=1001, name="Иван Петров", office="")]
    assert roster.rejected == []


def test_cells_are_trimmed_and_quoted_delimiters_kept() -> None:
    roster = read_roster('tgid;name;office\n 1001 ; "Петров; Иван" ; Москва \n'.encode())
    assert roster.rows == [RosterRow(row=2, tgid=1001, name="Петров; Иван", office="Москва")]


def test_a_comma_header_is_read_with_commas_even_if_names_hold_semicolons() -> None:
    roster = read_roster("tgid,name,office\n1001,Иван;Петров,Москва\n".encode())
    assert roster.rows[0].name == "Иван;Петров"


def test_every_row_of_a_repeated_tgid_is_refused_with_the_other_lines() -> None:
    roster = read_roster(b"tgid,name\n5,A\n6,B\n5,C\n5,D\n")
    assert [row.tgid for row in roster.rows] == [6]
    assert [(item.row, item.reason) for item in roster.rejected] == [
        (2, "этот tgid есть и в строках 4, 5: оставьте одну строку"),
        (4, "этот tgid есть и в строках 2, 5: оставьте одну строку"),
        (5, "этот tgid есть и в строках 2, 4: оставьте одну строку"),
    ]


@pytest.mark.parametrize(
    ("cell", "accepted"),
    [
        ("123456789", True),
        ("9223372036854775807", True),
        ("9223372036854775808", False),
        ("0", False),
        ("+5", False),
        ("12.0", False),
        ("１２３", False),  # full-width digits: isdigit() but not a tgid anyone typed
    ],
)
def test_a_tgid_is_a_positive_whole_number_that_fits_the_column(cell: str, accepted: bool) -> None:
    roster = read_roster(f"tgid,name\n{cell},Иван\n".encode())
    assert bool(roster.rows) is accepted


def test_long_names_and_offices_are_refused_per_row() -> None:
    roster = read_roster(f"tgid,name,office\n1,{'x' * 201},\n2,Иван,{'y' * 201}\n".encode())
    assert [item.reason for item in roster.rejected] == [
        "имя длиннее 200 символов",
        "офис длиннее 200 символов",
    ]


def test_a_repeated_column_is_a_wrong_header() -> None:
    with pytest.raises(InvalidImportFile):
        read_roster(b"tgid,name,name\n1,A,B\n")


def test_an_unterminated_quote_does_not_crash_the_reader() -> None:
    roster = read_roster(b'tgid,name\n1,"Ivan\n2,Petr\n')
    assert len(roster.rows) + len(roster.rejected) >= 1


def test_control_characters_in_a_cell_refuse_the_row() -> None:
    roster = read_roster('tgid,name\n1,"Иван\nПетров"\n2,Пётр\x00\n3,Ольга\n'.encode())
    assert [row.tgid for row in roster.rows] == [3]
    assert [(item.row, item.tgid) for item in roster.rejected] == [(2, 1), (4, 2)]
