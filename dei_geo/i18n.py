"""Every user-facing string, in 简体中文 (default) and English.

Data labels (tier names, pillar names, source notes) live in ``data/`` and are not repeated here.
"""

from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"zh": "城市数字化发展指数地图", "en": "City Digital Development Index map"},
    "language": {"zh": "语言 / Language", "en": "Language / 语言"},
    "map_title": {
        "zh": "{label} 城市数字化发展指数：{metric}",
        "en": "{label} City Digital Development Index: {metric}",
    },
    "metric_overall": {"zh": "总分", "en": "Overall score"},
    "classification": {"zh": "分级方式", "en": "Classification"},
    "scheme_tiers": {"zh": "报告分级（一线至四线）", "en": "Report tiers (tier 1 to 4)"},
    "scheme_quantiles": {"zh": "分位数", "en": "Quantiles"},
    "scheme_natural_breaks": {"zh": "自然断点（Fisher-Jenks）", "en": "Natural breaks (Fisher-Jenks)"},
    "classes": {"zh": "级数", "en": "Classes"},
    "unscored": {"zh": "未参评", "en": "Not evaluated"},
    "conflict": {"zh": "数据冲突", "en": "Conflicting data"},
    "conflict_legend": {
        "zh": "数据冲突（报告重复印刷）",
        "en": "Conflicting data (printed twice in the report)",
    },
    "tip_score": {"zh": "得分", "en": "Score"},
    "tip_rank": {"zh": "排名", "en": "Rank"},
    "tip_tier": {"zh": "分级", "en": "Tier"},
    "tip_printed_rows": {"zh": "报告印刷的两行", "en": "Rows printed in the report"},
    "rank_of": {"zh": "{rank} / {total}", "en": "{rank} of {total}"},
    "legend_count": {"zh": "{n} 个", "en": "{n}"},
    "source_note": {"zh": "数据来源：{source}", "en": "Source: {source}"},
    "tier_summary": {"zh": "分级统计", "en": "Tiers"},
    "col_tier": {"zh": "分级", "en": "Tier"},
    "col_range": {"zh": "分数区间", "en": "Score range"},
    "col_count": {"zh": "城市数（印刷行）", "en": "Cities (printed rows)"},
    "col_count_reported": {"zh": "报告所述", "en": "Reported"},
    "col_mean": {"zh": "平均分（印刷行）", "en": "Mean (printed rows)"},
    "col_mean_reported": {"zh": "报告所述平均分", "en": "Reported mean"},
    "ranking": {"zh": "城市排名", "en": "Ranking"},
    "col_rank": {"zh": "排名", "en": "Rank"},
    "col_city": {"zh": "城市", "en": "City"},
    "col_province": {"zh": "省份", "en": "Province"},
    "col_score": {"zh": "得分", "en": "Score"},
    "col_note": {"zh": "说明", "en": "Note"},
    "quality": {"zh": "数据质量说明", "en": "Data-quality notes"},
    "quality_intro": {
        "zh": "以下为报告自身的矛盾之处；本应用保留原文数据并加以标注，未作修改。",
        "en": "Where the report contradicts itself. The app keeps what the report prints and flags it.",
    },
    "page": {"zh": "第 {page} 页", "en": "p. {page}"},
    "download_html": {"zh": "下载离线地图（HTML）", "en": "Download offline map (HTML)"},
    "evaluated_summary": {
        "zh": "参评城市 {evaluated} 个，报告印刷 {printed} 行；地图共 {units} 个地级单元，其中 {unscored} 个未参评。",
        "en": "{evaluated} cities evaluated, {printed} rows printed; {units} prefecture-level units on the map, {unscored} not evaluated.",
    },
    "geodata_missing": {
        "zh": "缺少边界数据：{error}",
        "en": "Boundary data missing: {error}",
    },
}


def t(key: str, lang: str = DEFAULT_LANG, **fmt) -> str:
    """The string ``key`` in ``lang``, formatted with ``fmt``."""
    text = STRINGS[key][lang if lang in LANGS else DEFAULT_LANG]
    return text.format(**fmt) if fmt else text
