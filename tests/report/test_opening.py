"""The opening paragraph, in the Secretary-General's words, in each of the six languages: the
count, "namely," and the states in the language's own names, list form and collation."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.report.helpers import opening, report_page

# As at 31 December 1993: Egypt (accession) and Morocco (ratification) were parties; Chile,
# Mexico and the Philippines had signed. Each language orders them its own way: Chinese by
# pinyin (菲 fēi, 墨 mò, 智 zhì), Russian by its alphabet (М, Ф, Ч), Arabic with the article
# as written (ال before م and ت), Spanish by its names (Filipinas before México).
END_OF_1993 = {
    "en": "As at 31 December 1993, the Convention had been ratified or acceded to by 2 States, "
    "namely, Egypt and Morocco. In addition, 3 States, namely, Chile, Mexico and Philippines, "
    "have signed the Convention.",
    "fr": "Au 31 décembre 1993, 2 États avaient ratifié la Convention ou y avaient adhéré, "
    "à savoir\u00a0: Égypte et Maroc. En outre, 3 États, à savoir Chili, Mexique et "
    "Philippines, ont signé la Convention.",
    "es": "Al 31 de diciembre de 1993, 2 Estados habían ratificado la Convención o se habían "
    "adherido a ella, a saber, Egipto y Marruecos. Además, 3 Estados, a saber, Chile, "
    "Filipinas y México, han firmado la Convención.",
    "ru": "По состоянию на 31 декабря 1993\u202fг. Конвенцию ратифицировали или присоединились к "
    "ней 2 государства, а именно: Египет и Марокко. Кроме того, 3 государства, а именно "
    "Мексика, Филиппины и Чили, подписали Конвенцию.",
    "zh": "截至1993年12月31日，已有2个国家批准或加入了《公约》，即埃及和摩洛哥。"
    "此外，3个国家，即菲律宾、墨西哥和智利，已签署《公约》。",
    "ar": "حتى 31 ديسمبر 1993، بلغ عدد الدول التي صدقت على الاتفاقية أو انضمت إليها 2، "
    "وهي: المغرب ومصر. وبالإضافة إلى ذلك، بلغ عدد الدول التي وقعت على الاتفاقية 3، "
    "وهي: الفلبين والمكسيك وتشيلي.",
}


@pytest.mark.parametrize("code", sorted(END_OF_1993))
def test_opening_paragraph_in_each_language(client: FlaskClient, code: str) -> None:
    page = report_page(client, "as_at=1993-12-31", code)
    assert opening(page) == END_OF_1993[code]
    if code == "ar":
        assert '<html lang="ar" dir="rtl">' in page


@pytest.mark.parametrize(
    ("as_at", "expected"),
    [
        (
            "1991-01-01",
            "As at 1 January 1991, the Convention had not been ratified or acceded to by any "
            "State.",
        ),
        (
            "1991-06-01",
            "As at 1 June 1991, the Convention had not been ratified or acceded to by any "
            "State. 1 State, namely, Mexico, has signed the Convention.",
        ),
        (
            "1993-03-01",
            "As at 1 March 1993, the Convention had been ratified or acceded to by 1 State, "
            "namely, Egypt. In addition, 2 States, namely, Mexico and Morocco, have signed the "
            "Convention.",
        ),
    ],
)
def test_opening_with_no_party_one_party_one_signatory(
    client: FlaskClient, as_at: str, expected: str
) -> None:
    assert opening(report_page(client, f"as_at={as_at}")) == expected


def test_the_tables_follow_the_languages_collation(client: FlaskClient) -> None:
    """The tables list the states in the order the paragraph names them."""
    page = report_page(client, "as_at=1993-12-31", "zh")
    rows = page[page.index('id="signatories-table"') :]
    assert rows.index("菲律宾") < rows.index("墨西哥") < rows.index("智利")
