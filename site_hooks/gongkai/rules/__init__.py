"""Chinese government and text rules, as pure functions on strings and numbers.

Owns :mod:`.codes` (统一社会信用代码, 组织机构代码, the 索引号 formats, 文号 strict and loose,
dates, half-width folding) and :mod:`.numerals` (一百零五 ↔ 105, ①…⑳, the one implementation).
Where is the 索引号 rule? :mod:`gongkai.rules.codes` (``INDEX_FORMATS``, ``parse_index_number``);
the numbering of a project's plans is :mod:`gongkai.data.index_numbers`.
May import: nothing of ours. Used by every package above.
"""
