"""Names on statements and letters print in the PDF core fonts (Latin-1 only)."""

from kernel.pdftext import latin1


def test_a_vietnamese_name_prints_without_its_accents_not_as_question_marks():
    assert latin1("Nguyễn Thị Đặng") == "Nguyen Thi Dang"


def test_latin1_accents_are_kept_and_what_has_no_latin_letter_is_marked():
    assert latin1("José Peña Núñez") == "José Peña Núñez"
    assert latin1("Łukasz “Luke” 王") == 'Lukasz "Luke" ?'
