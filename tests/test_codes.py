"""Identifiers: check characters, dates, 文号 and 索引号, good and bad, half- and full-width."""
import datetime as dt

import pytest

from gongkai.rules import codes


def test_uscc_check_character_of_the_reference_page_code():
    # 1134172300325409XR is the real code on the reference page: check char R, org code 00325409X.
    assert codes.uscc_check_char("1134172300325409X") == "R"
    assert codes.org_check_char("00325409") == "X"
    assert codes.check_uscc("1134172300325409XR") == "1134172300325409XR"


def test_national_example_org_code():
    # 000014349 is the State Council General Office's code in the national 索引号 example.
    assert codes.check_org_code("00001434-9") == "000014349"


@pytest.mark.parametrize(
    "code, fragment",
    [
        ("1134172300325409XA", "最后一位应为“R”"),
        ("1134172300325409X", "应为18位"),
        ("1134172300325409OR", "不允许的字符“O”"),
        ("11341723003254I9XR", "不允许的字符“I”"),
    ],
)
def test_uscc_bad(code, fragment):
    with pytest.raises(codes.CodeError) as info:
        codes.check_uscc(code)
    assert fragment in info.value.message


def test_uscc_accepts_fullwidth_and_lowercase_input():
    assert codes.check_uscc("１１３４１７２３００３２５４０９xr") == "1134172300325409XR"


@pytest.mark.parametrize(
    "text, expected",
    [("2024-03-01", dt.date(2024, 3, 1)), ("2024-02-29", dt.date(2024, 2, 29)), (" 2021-12-31 ", dt.date(2021, 12, 31))],
)
def test_dates_good(text, expected):
    assert codes.parse_date(text) == expected


@pytest.mark.parametrize(
    "text, message, hint",
    [
        ("2024-02-30", "不存在", "YYYY-MM-DD"),
        ("2023-02-29", "不存在", ""),
        ("２０２４年３月１日", "写法不对", "请写成 2024-03-01"),
        ("2024年3月1日", "写法不对", "请写成 2024-03-01"),
        ("2024/3/1", "写法不对", "请写成 2024-03-01"),
        ("２０２４-０３-０１", "写法不对", "请写成 2024-03-01"),
        ("2024.03.01", "写法不对", "请写成 2024-03-01"),
        ("三月一日", "不是日期", "YYYY-MM-DD"),
    ],
)
def test_dates_bad(text, message, hint):
    with pytest.raises(codes.CodeError) as info:
        codes.parse_date(text)
    assert message in info.value.message
    assert hint in info.value.hint


@pytest.mark.parametrize("text, expected", [("15:00", dt.time(15, 0)), ("09:05", dt.time(9, 5))])
def test_times_good(text, expected):
    assert codes.parse_time(text) == expected


@pytest.mark.parametrize("text, hint", [("9:05", '"09:05"'), ("１５：００", '"15:00"'), ("25:00", "00-23"), ("三点", "HH:MM")])
def test_times_bad(text, hint):
    with pytest.raises(codes.CodeError) as info:
        codes.parse_time(text)
    assert hint in info.value.hint


@pytest.mark.parametrize("text", ["广科〔2024〕3号", "皖政办〔2021〕12号", "国办发〔2017〕47号"])
def test_doc_numbers_good(text):
    assert str(codes.parse_doc_number(text)) == text


@pytest.mark.parametrize(
    "text, suggestion",
    [
        ("广科[2024]3号", "广科〔2024〕3号"),
        ("广科【2024】3号", "广科〔2024〕3号"),
        ("广科(2024)3号", "广科〔2024〕3号"),
        ("广科（2024）3号", "广科〔2024〕3号"),
        ("广科〔２０２４〕３号", "广科〔2024〕3号"),
        ("广科〔2024〕第3号", "广科〔2024〕3号"),
        ("广科〔2024〕03号", "广科〔2024〕3号"),
        ("广科 [2024] 3 号", "广科〔2024〕3号"),
    ],
)
def test_doc_numbers_bad_with_suggestion(text, suggestion):
    with pytest.raises(codes.CodeError) as info:
        codes.parse_doc_number(text)
    assert info.value.hint == f"请写成 {suggestion}"


@pytest.mark.parametrize("text, fragment", [("广科〔24〕3号", "4位"), ("第三号", "格式不对"), ("广科〔2024〕", "格式不对")])
def test_doc_numbers_bad_without_suggestion(text, fragment):
    with pytest.raises(codes.CodeError) as info:
        codes.parse_doc_number(text)
    assert fragment in info.value.message


@pytest.mark.parametrize(
    "fmt, text, serial",
    [
        ("安徽", "1134172300325409XR/202403-00002", 2),
        ("广东", "11441700007280420Y/2021-00050", 50),
        ("全国", "000014349/2017-00110", 110),
    ],
)
def test_index_numbers_per_format(fmt, text, serial):
    num = codes.parse_index_number(text, codes.INDEX_FORMATS[fmt])
    assert num.serial == serial and str(num) == text


@pytest.mark.parametrize(
    "fmt, text, hint",
    [
        ("安徽", "1134172300325409XR／202403－00002", "请写成 1134172300325409XR/202403-00002"),
        ("安徽", "１１３４１７２３００３２５４０９ＸＲ/202403-00002", ""),
        ("安徽", "1134172300325409XR/2024-00002", "例如 1134172300325409XR/202403-00002"),
        ("全国", "1134172300325409XR/2024-00002", "例如 000014349/2024-00002"),
        ("广东", "11441700007280420Y/2021-0050", "例如"),
    ],
)
def test_index_numbers_bad(fmt, text, hint):
    with pytest.raises(codes.CodeError) as info:
        codes.parse_index_number(text, codes.INDEX_FORMATS[fmt])
    assert hint in info.value.hint


def test_index_format_builds_numbers():
    fmt = codes.INDEX_FORMATS["安徽"]
    assert fmt.format("1134172300325409XR", fmt.period_of(dt.date(2024, 3, 1)), 2) == "1134172300325409XR/202403-00002"
    assert codes.INDEX_FORMATS["广东"].period_of(dt.date(2024, 3, 1)) == "2024"


@pytest.mark.parametrize("text,expected", [
    ("", ""), ("科技", "科技"), ("２０２４：１２／３１－１", "2024:12/31-1"), ("一　二", "一 二"),
    ("广科〔２０２４〕３号", "广科〔2024〕3号"), ("（１）ＡＢＣ", "（1）ＡＢＣ"),  # only digits, - / : and the space
])
def test_to_halfwidth(text, expected):
    assert codes.to_halfwidth(text) == expected


def test_to_halfwidth_is_the_translation_table_on_any_text():
    from hypothesis import given, strategies as st

    @given(st.text(alphabet=st.sampled_from(list("０１２３４５６７８９－／：　0123-/: 科技（）ＡＢ\n")) | st.characters()))
    def check(text):
        assert codes.to_halfwidth(text) == text.translate(codes._FULLWIDTH)

    check()
